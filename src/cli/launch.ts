/**
 * What `bin/skiff` runs. It executes the CLI from the bundle that `npm run build` writes
 * (dist/cli/skiff-main.cjs: one file, each command's code initialised only when that command
 * runs) through a V8 code cache made at build time, so a command pays neither for resolving ~90
 * ES modules nor for parsing and compiling them. When the bundle is missing or older than tsc's
 * output (someone ran only `tsc`), it imports dist/src/cli/main.js instead: slower, never stale.
 *
 * The launcher is bundled too (dist/cli/skiff.cjs) because Node starts a CommonJS entry faster
 * than an ES module one; this file's tsc output is the fallback entry.
 */
import { readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

type Main = (argv: string[]) => Promise<number>;
interface BundleExports {
  main?: Main;
  preloadCommands?: () => Promise<void>;
  needsControllingTerminal?: (argv: string[], env: NodeJS.ProcessEnv) => Promise<boolean>;
}

/** The package root: dist/cli/skiff.cjs and dist/src/cli/launch.js both sit under <root>/dist. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!dir.endsWith('/dist') && dir !== '/') dir = dirname(dir);
  return dirname(dir);
}

const mtime = (p: string): number => {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return -1;
  }
};

/**
 * Loads the bundle as Node's CommonJS loader would (same wrapper, a require rooted at the
 * bundle), but through vm.Script so V8 can take the code cache. With SKIFF_WRITE_CODE_CACHE set
 * (the build's warm-up), returns a function that writes the cache after the commands have run,
 * so it holds every function they compiled, not only the top level.
 */
function loadBundle(file: string, cacheFile: string): {
  main: Main;
  preload: () => Promise<void>;
  needsTerminal: (argv: string[], env: NodeJS.ProcessEnv) => Promise<boolean>;
  saveCache: () => void;
} {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  // The bundle has no import() (scripts/bundle-cli.mjs turns each into a require()), so the
  // script needs no dynamic-import callback, which a script compiled from a cache would lose.
  const script = new Script(source, { filename: file, cachedData });
  const mod = { exports: {} as BundleExports };
  const wrapper = script.runInThisContext() as (...a: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  if (typeof mod.exports.main !== 'function') throw new Error(`skiff: ${file} exports no main`);
  const { preloadCommands, needsControllingTerminal } = mod.exports;
  return {
    main: mod.exports.main,
    preload: preloadCommands ?? (() => Promise.resolve()),
    needsTerminal: needsControllingTerminal ?? (() => Promise.resolve(true)),
    saveCache: () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    },
  };
}

/**
 * bin/skiff's shell half moves NODE_EXTRA_CA_CERTS aside (Node would read and parse the whole
 * bundle at start-up, ~40 ms, though most commands never open a TLS connection); the client adds
 * those CAs itself when it does (client/transport.ts). Child processes get the variable back.
 */
function restoreExtraCAVariable(): void {
  const deferred = process.env['SKIFF_EXTRA_CA_CERTS'];
  if (deferred && !process.env['NODE_EXTRA_CA_CERTS']) process.env['NODE_EXTRA_CA_CERTS'] = deferred;
}

/**
 * Exits once output is flushed: a raw-mode stdin or a half-open attach must not keep us alive.
 */
function finish(done: Promise<number>): void {
  done.then(
    (code) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code))),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}

async function launch(root: string): Promise<number> {
  restoreExtraCAVariable();
  const bundle = join(root, 'dist', 'cli', 'skiff-main.cjs');
  const argv = process.argv.slice(2);
  // skiff-launch found no idle process in the CLI's warm pool and names its directory: this
  // command starts cold, and the pool is refilled when it ends or after a moment (warm/pool.ts).
  const pool = process.env['SKIFF_CLI_POOL'];
  delete process.env['SKIFF_CLI_POOL'];
  if (mtime(bundle) < mtime(join(root, 'dist', 'src', 'cli', 'main.js'))) {
    const { main } = (await import(pathToFileURL(join(root, 'dist', 'src', 'cli', 'main.js')).href)) as { main: Main };
    return main(argv);
  }
  const { main, saveCache } = loadBundle(bundle, `${bundle}.cache`);
  const warm = process.env['SKIFF_WRITE_CODE_CACHE'];
  if (warm === undefined) {
    if (pool) {
      const { scheduleRefill } = await import('./warm/pool.js');
      scheduleRefill(pool, join(root, 'dist', 'cli', 'skiff.cjs'), { ...process.env });
    }
    return main(argv);
  }
  // Build-time warm-up: run each command line given (JSON array of argv arrays), then save.
  for (const args of JSON.parse(warm) as string[][]) await main(args);
  saveCache();
  return 0;
}

/** A process of the CLI's warm pool: loads the bundle, then serves one command. */
async function serveWarm(root: string): Promise<void> {
  const bundle = join(root, 'dist', 'cli', 'skiff-main.cjs');
  const script = join(root, 'dist', 'cli', 'skiff.cjs');
  const { main, preload, needsTerminal } = loadBundle(bundle, `${bundle}.cache`);
  const { serve } = await import('./warm/worker.js');
  await serve({
    files: [bundle, script],
    script,
    preload,
    main,
    needsTerminal,
    run: (argv) => {
      restoreExtraCAVariable();
      finish(main(argv));
    },
  });
}

const root = packageRoot();
if (process.env['SKIFF_CLI_ROLE'] === 'worker') {
  serveWarm(root).catch(() => process.exit(1));
} else {
  finish(launch(root));
}
