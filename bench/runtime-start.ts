/**
 * Container start cost of the executor, side by side: skiff-init running a prepared plan of
 * /bin/true (the fast path the shim takes: no Node), crun and runc (`run` of the same bundle), and
 * `skiff-runc run` with Node's own start-up measured separately. Median of N runs each.
 *
 *   node dist/bench/runtime-start.js [--runs 30]     (as root; installs crun and runc with apt if missing)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeBusyboxRootfs } from '../test/helpers/rootfs.js';
import { defaultSpec } from '../src/oci/default-spec.js';
import { detectCgroupLayout, openCgroup } from '../src/runtime/cgroups/index.js';
import { planContainer, deviceCgroupRules } from '../src/runtime/planner/index.js';
import { encodePlan } from '../src/runtime/plan/encode.js';
import { nativeBinary } from '../src/common/paths.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 30;

function ensure(bin: string, pkg: string): string | undefined {
  const which = spawnSync('which', [bin], { encoding: 'utf8' });
  if (which.status === 0) return which.stdout.trim();
  console.error(`installing ${pkg} with apt-get…`);
  spawnSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const again = spawnSync('which', [bin], { encoding: 'utf8' });
  return again.status === 0 ? again.stdout.trim() : undefined;
}

function timeRuns(label: string, n: number, fn: (i: number) => void): number {
  fn(-1); // warm-up
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    fn(i);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`${label.padEnd(42)} median ${median.toFixed(2)} ms  (min ${times[0]!.toFixed(2)}, max ${times[times.length - 1]!.toFixed(2)}, n=${n})`);
  return median;
}

function check(r: ReturnType<typeof spawnSync>, what: string): void {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr?.toString()}`);
}

/**
 * crun refuses hybrid cgroup hosts whose cgroup2 mount offers controllers (this one offers
 * hugetlb), so every runtime is measured in a private mount namespace without that mount:
 * the same pure-v1 view for all of them.
 */
function reexecInPrivateMountNs(): boolean {
  if (process.env.SKIFF_BENCH_NS || !existsSync('/sys/fs/cgroup/unified')) return false;
  const script = `umount /sys/fs/cgroup/unified && exec "$0" "$@"`;
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit', env: { ...process.env, SKIFF_BENCH_NS: '1' },
  });
  process.exit(r.status ?? 1);
}

async function main(): Promise<void> {
  reexecInPrivateMountNs();
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-'));
  const bundle = join(dir, 'bundle');
  makeBusyboxRootfs(join(bundle, 'rootfs'));
  const spec = defaultSpec();
  spec.process!.terminal = false;
  spec.process!.args = ['/bin/true'];
  spec.ociVersion = '1.0.2'; // Debian's crun 1.8 and runc 1.1 predate 1.3
  spec.linux!.cgroupsPath = '/skiff-bench/c';
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
  const results: Record<string, number> = {};
  const cg = openCgroup(detectCgroupLayout(), '/skiff-bench/c');
  try {
    const resources = spec.linux!.resources ?? {};
    await cg.create({ ...resources, devices: deviceCgroupRules(resources.devices, []) });
    const planFile = join(dir, 'plan');
    writeFileSync(planFile, encodePlan(planContainer(spec, {
      bundle, cgroupProcs: cg.procsFiles(), cgroupVersion: cg.version, cgroupMounts: cg.containerMounts(),
    })));
    const init = nativeBinary('skiff-init');
    results['skiff-init'] = timeRuns('skiff-init (prepared plan, /bin/true)', runs, () =>
      check(spawnSync(init, ['--plan', planFile, '--foreground']), 'skiff-init'));
    // crun refuses hybrid cgroup hosts whose cgroup2 mount has controllers (this one offers
    // hugetlb there), so it runs with --cgroup-manager=disabled: compare it to a plan without
    // cgroup membership too.
    const planNoCg = join(dir, 'plan-nocg');
    writeFileSync(planNoCg, encodePlan(planContainer(spec, {
      bundle, cgroupProcs: [], cgroupVersion: cg.version, cgroupMounts: cg.containerMounts(),
    })));
    results['skiff-init-nocg'] = timeRuns('skiff-init (prepared plan, no cgroup join)', runs, () =>
      check(spawnSync(init, ['--plan', planNoCg, '--foreground']), 'skiff-init'));

    for (const rt of ['crun', 'runc']) {
      const bin = ensure(rt, rt);
      if (!bin) {
        console.log(`${rt}: not installable here, skipped`);
        continue;
      }
      const root = join(dir, `${rt}-root`);
      const extra = rt === 'crun' ? ['--cgroup-manager=disabled'] : [];
      results[rt] = timeRuns(`${rt} run${extra.length ? ' (no cgroups)' : ''} (/bin/true)`, runs, (i) =>
        check(spawnSync(bin, [...extra, '--root', root, 'run', '--bundle', bundle, `b${i + 1}`], { cwd: bundle }), rt));
    }
    const runc = resolve('bin/skiff-runc');
    const root = join(dir, 'skiff-root');
    results['node'] = timeRuns('node start-up alone (node -e 0)', runs, () => check(spawnSync(process.execPath, ['-e', '0']), 'node'));
    results['skiff-runc'] = timeRuns('skiff-runc run (/bin/true)', runs, (i) =>
      check(spawnSync(process.execPath, [runc, '--root', root, 'run', '--bundle', bundle, `s${i + 1}`]), 'skiff-runc'));
  } finally {
    await cg.destroy().catch(() => undefined);
    spawnSync('rmdir', ...[['/sys/fs/cgroup/memory/skiff-bench']]);
    for (const h of existsSync('/sys/fs/cgroup') ? execFileSync('ls', ['/sys/fs/cgroup'], { encoding: 'utf8' }).split('\n') : []) {
      if (h) spawnSync('rmdir', [join('/sys/fs/cgroup', h, 'skiff-bench')]);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const r = (a: string, b: string) => (results[a] && results[b] ? (results[a]! / results[b]!).toFixed(2) : 'n/a');
  console.log('\nratios (lower is better for skiff):');
  console.log(`  skiff-init / crun = ${r('skiff-init-nocg', 'crun')}   (both without cgroups)`);
  console.log(`  skiff-init / runc = ${r('skiff-init', 'runc')}`);
  console.log(`  skiff-runc / runc = ${r('skiff-runc', 'runc')}   (skiff-runc − node start-up = ${((results['skiff-runc'] ?? 0) - (results['node'] ?? 0)).toFixed(2)} ms)`);
  void readFileSync;
}

await main();
