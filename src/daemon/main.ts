/**
 * skiffd's entry point: parse flags, load daemon.json, then --help / --version / --validate or
 * run the daemon until SIGTERM/SIGINT; SIGHUP reloads. Failures before the daemon runs print one
 * line to stderr and exit 1. The daemon module is imported lazily so --help and --validate stay
 * fast.
 */
import { SKIFF_VERSION } from '../common/version.js';
import { loadConfig } from './config-file.js';
import { helpText, parseFlags, type ParsedFlags } from './flags.js';

export async function main(argv: string[]): Promise<number> {
  let flags: ParsedFlags;
  try {
    flags = parseFlags(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  if (flags.help) {
    process.stdout.write(helpText());
    return 0;
  }
  if (flags.version) {
    process.stdout.write(`Skiff daemon version ${SKIFF_VERSION}\n`);
    return 0;
  }
  let loaded: Awaited<ReturnType<typeof loadConfig>>;
  try {
    loaded = await loadConfig(flags);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  if (flags.validate) {
    process.stdout.write('configuration OK\n');
    return 0;
  }
  if (process.getuid?.() !== 0 && !process.env['SKIFF_ROOTLESS_OK']) {
    process.stderr.write('skiffd needs to be started with root privileges. To run skiffd in rootless mode as an unprivileged user, see the documentation\n');
    return 1;
  }
  const { Daemon } = await import('./daemon.js');
  const daemon = new Daemon(loaded.config, flags, loaded.fileKeys);
  // A stop requested while starting up is served once start-up is done, never by dying mid-way.
  let early: NodeJS.Signals | undefined;
  const onEarly = (sig: NodeJS.Signals): void => { early ??= sig; };
  process.on('SIGTERM', onEarly);
  process.on('SIGINT', onEarly);
  try {
    await daemon.start();
  } catch (e) {
    daemon.logger.error(`failed to start daemon: ${(e as Error).message}`);
    return 1;
  } finally {
    process.off('SIGTERM', onEarly);
    process.off('SIGINT', onEarly);
  }
  return new Promise<number>((resolve) => {
    let signals = 0;
    const onStop = (sig: NodeJS.Signals): void => {
      signals++;
      daemon.logger.info(`Processing signal '${sig === 'SIGINT' ? 'interrupt' : 'terminated'}'`);
      if (signals >= 3) {
        daemon.logger.info('Forcing daemon shutdown');
        resolve(1);
        process.exit(1);
      }
      daemon.stop().then(() => resolve(0), (e: unknown) => {
        daemon.logger.error(`error during shutdown: ${(e as Error).message}`);
        resolve(1);
      });
    };
    process.on('SIGTERM', onStop);
    process.on('SIGINT', onStop);
    process.on('SIGHUP', () => void daemon.reload());
    if (early) onStop(early);
  });
}
