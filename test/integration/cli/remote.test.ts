/**
 * Remote daemons: ssh:// hosts through a real sshd on 127.0.0.1 (its own config, host key and
 * authorized key in a temp dir), driven by skiff and by the stock docker CLI with the same host,
 * and docker's context archives carried from docker to skiff and back.
 *
 * On the "remote" side sshd's SetEnv gives the session a PATH whose `docker` is a wrapper that
 * runs `skiff` (so `docker system dial-stdio` reaches the test's skiffd through DOCKER_HOST) and a
 * HOME of its own (no ~/.bashrc of the machine's root runs). On the client side `ssh` is a wrapper
 * adding `-F <test ssh_config>` (key, known_hosts with the test host key, BatchMode): ssh reads
 * ~/.ssh from the passwd entry, not $HOME, so a temp HOME alone cannot hold that config. Both
 * wrappers log their argv, one argument a line, so the test sees exactly what each client ran.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contextDirName } from '../../../src/client/index.js';
import { processesMentioning } from '../../helpers/daemon.js';
import { dockerSkip, setup, SKIFF, type Env, type Result } from './harness.js';

const SSHD = '/usr/sbin/sshd';
const sshSkip = !existsSync(SSHD) ? `${SSHD} is not installed (apt-get install openssh-server)`
  : spawnSync('ssh-keygen', ['-?']).error ? 'ssh-keygen is not installed' : false;

let env: Env;
let dir: string;
let sshd: ChildProcess | undefined;
let port: number;
let madeRunSshd = false;
let sshHost: string;
let clientEnv: NodeJS.ProcessEnv;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

/** An executable script that logs its argv (one per line, then a blank line) and execs `target`. */
function wrapper(path: string, log: string, target: string): void {
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$@" >> ${log}\necho >> ${log}\nexec ${target} "$@"\n`);
  chmodSync(path, 0o755);
}

/** The argv lists a wrapper logged so far, and the log emptied. */
function takeLog(file: string): string[][] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, '');
  return text.split('\n\n').filter((b) => b.trim() !== '').map((b) => b.replace(/^\n/, '').split('\n'));
}

async function waitForPort(p: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(true)); // in use: sshd listens
      s.listen(p, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (ok) return;
    if (sshd?.exitCode !== null) throw new Error('sshd exited at start-up');
    if (Date.now() > deadline) throw new Error(`sshd did not listen on ${p}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  env = await setup();
  dir = mkdtempSync(join(tmpdir(), 'skiff-remote-'));
  if (sshSkip) return;
  for (const d of ['home', 'rbin', 'cbin']) mkdirSync(join(dir, d));
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'host', '-f', join(dir, 'host_key')]);
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'client', '-f', join(dir, 'id_key')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id_key.pub')));
  port = await freePort();
  writeFileSync(join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${dir}/host_key`, `PidFile ${dir}/sshd.pid`,
    `AuthorizedKeysFile ${dir}/authorized_keys`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes', 'PermitRootLogin prohibit-password', 'UsePAM no', 'StrictModes no', 'LogLevel ERROR',
    `SetEnv HOME=${dir}/home PATH=${dir}/rbin:/usr/bin:/bin DOCKER_HOST=${env.d.host}`, '',
  ].join('\n'));
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host_key.pub'), 'utf8')}`);
  writeFileSync(join(dir, 'ssh_config'), [
    'Host *', `  IdentityFile ${dir}/id_key`, '  IdentitiesOnly yes', `  UserKnownHostsFile ${dir}/known_hosts`,
    '  GlobalKnownHostsFile /dev/null', '  StrictHostKeyChecking yes', '  BatchMode yes', '  LogLevel ERROR', '',
  ].join('\n'));
  wrapper(join(dir, 'cbin', 'ssh'), join(dir, 'ssh.log'), `/usr/bin/ssh -F ${dir}/ssh_config`);
  wrapper(join(dir, 'rbin', 'docker'), join(dir, 'remote.log'), `${process.execPath} ${SKIFF}`);
  // sshd insists on its privilege separation directory.
  if (!existsSync('/run/sshd')) {
    mkdirSync('/run/sshd', { mode: 0o755 });
    madeRunSshd = true;
  }
  sshd = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let sshdErr = '';
  sshd.stderr!.on('data', (d: Buffer) => (sshdErr += d.toString()));
  try {
    await waitForPort(port);
  } catch (e) {
    throw new Error(`${(e as Error).message}: ${sshdErr}`);
  }
  sshHost = `ssh://root@127.0.0.1:${port}`;
  clientEnv = { PATH: `${dir}/cbin:${process.env['PATH']}`, DOCKER_HOST: sshHost };
});

after(async () => {
  if (sshd && sshd.exitCode === null) {
    const gone = new Promise((r) => sshd!.once('exit', r));
    sshd.kill('SIGTERM');
    await gone;
  }
  await env?.close();
  if (madeRunSshd) rmSync('/run/sshd', { recursive: true, force: true });
  if (dir) {
    // Every ssh client, sshd session and remote dial-stdio has ended with its connection.
    const deadline = Date.now() + 5000;
    while (processesMentioning(dir).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const left = processesMentioning(dir);
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(left, [], 'processes of the remote test left behind');
  }
});

const ok = (r: Result, what: string): void => assert.equal(r.status, 0, `${what}: ${r.stderr}`);

test('skiff and docker reach skiffd over ssh:// with the same ssh argv', { skip: sshSkip }, () => {
  ok(env.skiff(['run', '-d', '--name', 'remote-probe', 'busybox', 'sleep', '60']), 'local run');
  takeLog(join(dir, 'ssh.log'));
  takeLog(join(dir, 'remote.log'));
  const ps = env.skiff(['-H', sshHost, 'ps', '--format', '{{.Names}} {{.Image}} {{.Command}}'], { PATH: clientEnv['PATH'] });
  ok(ps, 'skiff -H ssh:// ps');
  assert.equal(ps.stdout, 'remote-probe busybox "sleep 60"\n');
  const skiffSsh = takeLog(join(dir, 'ssh.log'));
  assert.ok(skiffSsh.length >= 1);
  assert.deepEqual(skiffSsh[0], ['-o ConnectTimeout=30', '-T', '-l', 'root', '-p', String(port), '--', '127.0.0.1', 'docker', 'system', 'dial-stdio']);
  for (const argv of takeLog(join(dir, 'remote.log'))) assert.deepEqual(argv, ['system', 'dial-stdio']);

  const run = env.skiff(['run', '--rm', 'busybox', 'echo', 'hi'], clientEnv);
  ok(run, 'skiff run over ssh');
  assert.equal(run.stdout, 'hi\n');
  // stdin travels too: attach through the ssh pipe, half-closed at its end, output still complete.
  const interactive = (bin: string[]): Result => {
    const r = spawnSync(bin[0]!, [...bin.slice(1), 'run', '--rm', '-i', 'busybox', 'sh', '-c', 'cat; echo done'], {
      input: 'abc\n', encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', env: { ...process.env, DOCKER_CONFIG: dir, ...clientEnv },
    });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  const cat = interactive([process.execPath, SKIFF]);
  ok(cat, 'skiff run -i over ssh');
  assert.equal(cat.stdout, 'abc\ndone\n');
  takeLog(join(dir, 'ssh.log'));

  if (dockerSkip) return;
  const dps = env.docker(['ps', '--format', '{{.Names}} {{.Image}} {{.Command}}'], clientEnv);
  ok(dps, 'docker -H ssh:// ps');
  assert.equal(dps.stdout, ps.stdout);
  const dockerSsh = takeLog(join(dir, 'ssh.log'));
  assert.ok(dockerSsh.length >= 1);
  for (const argv of dockerSsh) assert.deepEqual(argv, skiffSsh[0], 'docker and skiff run the same ssh command');
  const drun = env.docker(['run', '--rm', 'busybox', 'echo', 'hi'], clientEnv);
  ok(drun, 'docker run over ssh');
  assert.equal(drun.stdout, run.stdout);
  assert.equal(interactive(['/usr/local/bin/docker']).stdout, 'abc\ndone\n');
});

test('an ssh:// context, and a socket path in the URL', { skip: sshSkip }, () => {
  ok(env.skiff(['context', 'create', 'remote', '--docker', `host=${sshHost}`]), 'context create');
  const base = { PATH: clientEnv['PATH'], DOCKER_HOST: '' };
  const v = env.skiff(['--context', 'remote', 'version', '--format', '{{.Server.Version}}'], base);
  ok(v, 'skiff --context remote version');
  const local = env.skiff(['version', '--format', '{{.Server.Version}}']);
  assert.equal(v.stdout, local.stdout);
  if (!dockerSkip) {
    const dv = env.docker(['--context', 'remote', 'ps', '-a', '--format', '{{.Names}}'], base);
    ok(dv, 'docker --context remote ps');
    assert.match(dv.stdout, /remote-probe/);
  }
  ok(env.skiff(['context', 'rm', 'remote']), 'context rm');

  takeLog(join(dir, 'remote.log'));
  const withPath = env.skiff(['-H', `${sshHost}${env.d.socket}`, 'ps', '-a', '--format', '{{.Names}}'], { PATH: clientEnv['PATH'] });
  ok(withPath, 'ssh:// with a socket path');
  assert.match(withPath.stdout, /remote-probe/);
  assert.deepEqual(takeLog(join(dir, 'remote.log'))[0], ['--host', `unix://${env.d.socket}`, 'system', 'dial-stdio']);

  // A socket that does not exist on the remote: the remote dial-stdio's error reaches the user.
  const missing = env.skiff(['-H', `${sshHost}/nonexistent/skiff.sock`, 'ps'], { PATH: clientEnv['PATH'] });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /has exited with exit status 1, make sure the URL is valid.*stderr=failed to open the raw stream connection: dial unix \/nonexistent\/skiff.sock: connect: no such file or directory/s);
  assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
});

test('ssh failures surface as docker words them', { skip: sshSkip }, async () => {
  const closed = await freePort();
  const bad = `ssh://root@127.0.0.1:${closed}`;
  const r = env.skiff(['-H', bad, 'ps'], { PATH: clientEnv['PATH'] });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^command \[ssh -o ConnectTimeout=30 -T -l root -p \d+ -- 127\.0\.0\.1 docker system dial-stdio\] has exited with exit status 255, make sure the URL is valid, and Docker 18\.09 or later is installed on the remote host: stderr=ssh: connect to host 127\.0\.0\.1 port \d+: Connection refused\s+$/);
  const pw = env.skiff(['-H', 'ssh://root:secret@127.0.0.1', 'ps'], { PATH: clientEnv['PATH'] });
  assert.equal(pw.status, 1);
  assert.equal(pw.stderr, 'Failed to initialize: ssh host connection is not valid: invalid SSH URL: plain-text password is not supported\n');
  if (!dockerSkip) {
    const d = env.docker(['-H', bad, 'ps'], { PATH: clientEnv['PATH'] });
    assert.equal(d.status, 1);
    assert.match(d.stderr, /has exited with exit status 255, make sure the URL is valid, and Docker 18\.09 or later is installed on the remote host: stderr=ssh: connect to host 127\.0\.0\.1 port \d+: Connection refused/);
    assert.equal(env.docker(['-H', 'ssh://root:secret@127.0.0.1', 'ps']).stderr, pw.stderr);
  }
});

test('system dial-stdio: a request, stdin closed, the whole answer still arrives', () => {
  const request = 'GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n';
  const r = env.skiff(['system', 'dial-stdio'], { PATH: process.env['PATH'] });
  assert.equal(r.status, 0, r.stderr); // empty stdin: nothing sent, the daemon's close ends it
  const run = (bin: string, args: string[]): Result => {
    const p = spawnSync(bin, args, { input: request, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', env: { ...process.env, DOCKER_HOST: env.d.host } });
    return { status: p.status, stdout: p.stdout ?? '', stderr: p.stderr ?? '' };
  };
  const s = run(process.execPath, [SKIFF, 'system', 'dial-stdio']);
  ok(s, 'skiff system dial-stdio');
  assert.match(s.stdout, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(s.stdout, /\r\n\r\n(2\r\n)?OK(\r\n0\r\n\r\n)?$/);
  if (!dockerSkip) {
    const d = run('/usr/local/bin/docker', ['system', 'dial-stdio']);
    ok(d, 'docker system dial-stdio');
    assert.match(d.stdout, /^HTTP\/1\.1 200 OK\r\n/);
  }
  const gone = spawnSync(process.execPath, [SKIFF, 'system', 'dial-stdio'], {
    input: '', encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', env: { ...process.env, DOCKER_HOST: `unix://${dir}/none.sock` },
  });
  assert.equal(gone.status, 1);
  assert.equal(gone.stderr, `failed to open the raw stream connection: dial unix ${dir}/none.sock: connect: no such file or directory\n`);
});

test('context archives: docker export → skiff import → skiff export → docker import', { skip: dockerSkip }, () => {
  const opensslSkip = spawnSync('openssl', ['version']).status !== 0;
  const files = join(dir, 'tlsfiles');
  mkdirSync(files);
  if (opensslSkip) {
    console.log('# openssl is not installed: the archive carries no TLS files');
  } else {
    sh('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(files, 'key.pem'), '-out', join(files, 'ca.pem'), '-days', '1', '-subj', '/CN=ctx']);
    writeFileSync(join(files, 'cert.pem'), readFileSync(join(files, 'ca.pem')));
  }
  const tlsSpec = opensslSkip ? '' : `,ca=${files}/ca.pem,cert=${files}/cert.pem,key=${files}/key.pem`;
  ok(env.docker(['context', 'create', 'from-docker', '--description', 'made by docker', '--docker', `host=tcp://127.0.0.1:2376${tlsSpec}`]), 'docker context create');
  const dtar = join(dir, 'docker.dockercontext');
  ok(env.docker(['context', 'export', 'from-docker', dtar]), 'docker context export');

  const imp = env.skiff(['context', 'import', 'in-skiff', dtar]);
  ok(imp, 'skiff context import');
  assert.equal(imp.stdout, 'in-skiff\n');
  assert.equal(imp.stderr, 'Successfully imported context "in-skiff"\n');
  const cfg = env.skiff(['context', 'inspect', 'in-skiff', '-f', '{{.Name}}|{{.Metadata.Description}}|{{.Endpoints.docker.Host}}']);
  assert.equal(cfg.stdout, 'in-skiff|made by docker|tcp://127.0.0.1:2376\n');
  const cfgDir = (env.skiff(['context', 'inspect', 'in-skiff', '-f', '{{.Storage.TLSPath}}']).stdout.trim());
  if (!opensslSkip) {
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) assert.deepEqual(readFileSync(join(cfgDir, f)), readFileSync(join(files, f)), f);
  }

  const star = join(dir, 'skiff.dockercontext');
  const exp = env.skiff(['context', 'export', 'in-skiff', star]);
  ok(exp, 'skiff context export');
  assert.equal(exp.stderr, `Written file "${star}"\n`);
  // The same entries, names and modes as docker's archive.
  // (meta.json's size differs by the length of the names.)
  const listing = (f: string): string => spawnSync('tar', ['-tvf', f], { encoding: 'utf8' }).stdout.replace(/ +/g, ' ').replace(/ \d+ (.*meta\.json)/, ' <size> $1');
  assert.equal(listing(star), listing(dtar));
  // Export never overwrites.
  const again = env.skiff(['context', 'export', 'in-skiff', star]);
  assert.equal(again.status, 1);
  assert.equal(again.stderr, `open ${star}: file exists\n`);

  ok(env.docker(['context', 'import', 'back-in-docker', star]), 'docker context import');
  const fmt = '{{json .Endpoints}}|{{json .TLSMaterial}}';
  const described = (name: string): string => env.docker(['context', 'ls', '--format', '{{.Name}}|{{.Description}}']).stdout.split('\n').find((l) => l.startsWith(`${name}|`)) ?? '';
  assert.equal(described('back-in-docker'), 'back-in-docker|made by docker');
  const back = env.docker(['context', 'inspect', 'back-in-docker', '-f', fmt]);
  const orig = env.docker(['context', 'inspect', 'from-docker', '-f', fmt]);
  ok(back, 'docker context inspect');
  assert.equal(back.stdout, orig.stdout);

  // Streams both ways: skiff export - | docker import -, and docker export - | skiff import -.
  const piped = spawnSync(process.execPath, [SKIFF, 'context', 'export', 'in-skiff', '-'], { env: { ...process.env, DOCKER_CONFIG: cfgRoot(cfgDir) }, timeout: 30_000, killSignal: 'SIGKILL' });
  assert.equal(piped.status, 0, String(piped.stderr));
  const dimp = spawnSync('/usr/local/bin/docker', ['context', 'import', 'piped', '-'], { input: piped.stdout, env: { ...process.env, DOCKER_CONFIG: cfgRoot(cfgDir) }, timeout: 30_000, killSignal: 'SIGKILL', encoding: 'utf8' });
  assert.equal(dimp.status, 0, dimp.stderr);
  assert.equal(env.docker(['context', 'inspect', 'piped', '-f', fmt]).stdout, orig.stdout);

  // update: a new description; a --docker value replaces the endpoint and drops its TLS files.
  const up = env.skiff(['context', 'update', 'in-skiff', '--description', 'updated', '--docker', 'host=ssh://me@127.0.0.1:2222']);
  ok(up, 'skiff context update');
  assert.equal(up.stderr, 'Successfully updated context "in-skiff"\n');
  assert.equal(env.docker(['context', 'inspect', 'in-skiff', '-f', fmt]).stdout,
    '{"docker":{"Host":"ssh://me@127.0.0.1:2222","SkipTLSVerify":false}}|{}\n');
  assert.equal(described('in-skiff'), 'in-skiff|updated');
  const dup = env.docker(['context', 'update', 'in-skiff', '--docker', 'host=tcp://127.0.0.1:2377,skip-tls-verify=true']);
  ok(dup, 'docker context update');
  assert.equal(env.skiff(['context', 'inspect', 'in-skiff', '-f', '{{.Endpoints.docker.Host}} {{.Endpoints.docker.SkipTLSVerify}} {{.Metadata.Description}}']).stdout,
    'tcp://127.0.0.1:2377 true updated\n');

  // Bad input: one line, exit 1, nothing stored.
  const cases: [string[], string][] = [
    [['context', 'import', 'in-skiff', star], 'context "in-skiff" already exists\n'],
    [['context', 'import', 'default', star], '"default" is a reserved context name\n'],
    [['context', 'update', 'in-skiff', '--docker', 'hots=tcp://x'], 'unable to create docker endpoint config: unrecognized config key: hots\n'],
    [['context', 'update', 'in-skiff', '--docker', 'skip-tls-verify=maybe'], 'unable to create docker endpoint config: skip-tls-verify: parsing "maybe": invalid syntax\n'],
  ];
  for (const [args, msg] of cases) {
    const r = env.skiff(args);
    assert.equal(r.status, 1, args.join(' '));
    assert.equal(r.stderr, msg);
    if (args[1] === 'update') assert.equal(env.docker(args).stderr, msg);
  }
  writeFileSync(join(dir, 'garbage'), 'not a tar archive at all\n'.repeat(40));
  const g = env.skiff(['context', 'import', 'garbage', join(dir, 'garbage')]);
  assert.equal(g.status, 1);
  assert.equal(g.stderr, 'archive/tar: invalid tar header\n');
  assert.equal(existsSync(join(cfgRoot(cfgDir), 'contexts', 'meta', contextDirName('garbage'))), false);
  // A path outside meta.json and tls/ is refused before anything is stored.
  const evil = join(dir, 'evil');
  mkdirSync(join(evil, 'x'), { recursive: true });
  writeFileSync(join(evil, 'meta.json'), '{"Name":"e","Metadata":{},"Endpoints":{}}');
  writeFileSync(join(evil, 'x', 'y'), 'z');
  sh('tar', ['-C', evil, '-cf', join(dir, 'evil.tar'), 'meta.json', 'x/y']);
  const e = env.skiff(['context', 'import', 'evil', join(dir, 'evil.tar')]);
  assert.equal(e.status, 1);
  assert.equal(e.stderr, 'x/y: unexpected context file\n');
  assert.equal(readdirSync(join(cfgRoot(cfgDir), 'contexts', 'meta')).includes(contextDirName('evil')), false);
});

/** The config dir from a context's TLS path (`<cfg>/contexts/tls/<id>/docker`). */
function cfgRoot(tlsPath: string): string {
  return join(tlsPath, '..', '..', '..', '..');
}
