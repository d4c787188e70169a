/**
 * stdin through attach with the stock docker CLI (and skiff's) against skiffd: an empty stdin
 * ends `docker run -i` at once, binary input passes untouched without a tty, and with a tty the
 * detach keys are held back until the next key decides (docker's escape proxy), driven through
 * a real pty by `script`. Skipped (with the reason printed) only where the docker CLI is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { compatFixture, type Docker, DOCKER, waitUntil } from './docker-helpers.js';

const fx = compatFixture('attach stdin tests');
const { skip } = fx;
/** The fixture's docker CLI, bound once its daemon is up. */
const docker: Docker = (args, opts) => fx.docker(args, opts);

const env = () => ({ PATH: process.env.PATH, HOME: fx.cfg, DOCKER_CONFIG: fx.cfg, DOCKER_HOST: fx.d.host, TERM: 'xterm' });

/** A CLI run with /dev/null as its stdin (not a pipe: the CLI sees EOF on its first read). */
function withDevNull(cmd: string, args: string[]) {
  const fd = openSync('/dev/null', 'r');
  try {
    const t0 = Date.now();
    const r = spawnSync(cmd, args, { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL', env: env() });
    return { ...r, ms: Date.now() - t0 };
  } finally {
    closeSync(fd);
  }
}

test('docker run -i with an empty stdin ends at once (it hung: EOF came before the attach was wired)', { skip }, () => {
  let t0 = Date.now();
  let r = docker(['run', '-i', '--rm', 'busybox', 'cat'], { input: '', timeoutMs: 20_000 });
  assert.equal(r.status, 0, `echo -n | docker run -i: ${r.stderr} ${r.error ?? ''}`);
  assert.equal(r.stdout, '');
  assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);

  const n = withDevNull(DOCKER, ['run', '-i', '--rm', 'busybox', 'cat']);
  assert.equal(n.status, 0, `docker run -i </dev/null: ${n.stderr} ${n.error ?? ''}`);
  assert.ok(n.ms < 10_000, `took ${n.ms} ms`);

  const s = withDevNull(process.execPath, [resolve('bin/skiff'), 'run', '-i', '--rm', 'busybox', 'cat']);
  assert.equal(s.status, 0, `skiff run -i </dev/null: ${s.stderr} ${s.error ?? ''}`);

  t0 = Date.now();
  r = docker(['run', '-i', 'busybox', 'wc', '-l'], { input: 'a\nb\n' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '2');
  assert.equal(docker(['ps', '-q']).stdout, '', 'nothing left running');
});

test('stdin without a tty is binary: ctrl-p ctrl-q bytes pass, no detach', { skip }, () => {
  const input = Buffer.concat([Buffer.from('a\x10\x11b'), Buffer.alloc(300_000, 0x10), Buffer.from('\x11')]);
  const r = spawnSync(DOCKER, ['run', '-i', '--rm', 'busybox', 'wc', '-c'], { input, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', env: env() });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), String(input.length));
});

/** `docker run -it` under a pty (script), fed key by key. */
function ptyRun(cmd: string) {
  const p = spawn('script', ['-qefc', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: env() });
  let out = '';
  p.stdout.on('data', (b: Buffer) => { out += b.toString('latin1'); });
  p.stderr.on('data', (b: Buffer) => { out += b.toString('latin1'); });
  const killer = setTimeout(() => p.kill('SIGKILL'), 30_000);
  const exited = new Promise<number | null>((r) => p.on('close', (code) => { clearTimeout(killer); r(code); }));
  return { p, exited, output: () => out };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const got = (name: string) => docker(['exec', name, 'od', '-An', '-tx1', '/tmp/got']).stdout.trim().replace(/\s+/g, ' ');

/**
 * The docker CLI watches for the detach keys itself at a tty (and exits 0 on them); skiff's CLI
 * leaves that to the daemon (`skiff attach` exits 1 with docker's "read escape sequence"). Both
 * must hold back a lone ctrl-p and never let a detach sequence reach the container. The keys go
 * to the pty at once: it keeps them until the CLI reads, after its attach is set up.
 */
for (const cli of ['docker', 'skiff'] as const) {
  test(`detach keys at a tty (${cli} CLI): a lone ctrl-p waits for the next key; ctrl-p ctrl-q detaches without leaking ctrl-p`, { skip }, async () => {
    const name = `dk-${cli}`;
    // The container reads raw bytes one at a time into /tmp/got.
    const script = `sh -c 'stty raw -echo; dd bs=1 count=4 of=/tmp/got 2>/dev/null'`;
    let cmd = `${DOCKER} run -it --name ${name} busybox ${script}`;
    if (cli === 'skiff') {
      const r = docker(['run', '-dit', '--name', name, 'busybox', 'sh', '-c', 'stty raw -echo; dd bs=1 count=4 of=/tmp/got 2>/dev/null']);
      assert.equal(r.status, 0, r.stderr);
      cmd = `${process.execPath} ${resolve('bin/skiff')} attach ${name}`;
    }
    const run = ptyRun(cmd);
    try {
      run.p.stdin.write('x');
      await waitUntil(() => got(name) === '78', 20_000, 'the first key through the attach');
      run.p.stdin.write('\x10');
      await sleep(500);
      assert.equal(got(name), '78', 'ctrl-p alone is held back');
      run.p.stdin.write('y');
      await waitUntil(() => got(name) === '78 10 79', 10_000, 'ctrl-p y delivered once y showed it was no detach');
      run.p.stdin.write('\x10');
      await sleep(500);
      run.p.stdin.write('\x11');
      const code = await run.exited;
      if (cli === 'docker') assert.equal(code, 0, run.output());
      else {
        assert.equal(code, 1, run.output());
        assert.match(run.output(), /read escape sequence/);
      }
      assert.equal(docker(['inspect', '-f', '{{.State.Running}}', name]).stdout, 'true\n', 'detached, still running');
      assert.equal(got(name), '78 10 79', 'the detach sequence never reached the container');
    } finally {
      run.p.kill('SIGKILL');
      docker(['rm', '-f', name]);
    }
  });
}
