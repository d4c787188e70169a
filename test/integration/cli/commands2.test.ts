/**
 * skiff vs the stock docker CLI against one skiffd for the commands added in issue 5: attach,
 * cp, diff, export, commit, update, build (legacy builder) and system prune, plus their error
 * cases (bad flags, missing container, missing paths) — outputs, files written and exit codes
 * compared after masking ids. Each scenario also checks skiff on its own, so the skiff half
 * runs when docker is absent.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCKER, SKIFF, dockerSkip, mask, setup, type Env, type Result } from './harness.js';

let env: Env;
let work: string;
let cfg: string;
before(async () => {
  env = await setup();
  work = mkdtempSync(join(tmpdir(), 'skiff-cmds2-'));
  cfg = mkdtempSync(join(tmpdir(), 'skiff-cmds2-cfg-'));
  if (dockerSkip) console.log(`# skipping docker comparisons: ${dockerSkip}`);
});
after(async () => {
  if (work) rmSync(work, { recursive: true, force: true });
  if (cfg) rmSync(cfg, { recursive: true, force: true });
  if (env) await env.close();
});

type Who = 'skiff' | 'docker';
const WHO: Who[] = ['skiff', 'docker'];
const active = (): Who[] => WHO.filter((w) => w === 'skiff' || !dockerSkip);

/** One bounded CLI run with optional stdin (SIGKILL on timeout: docker forwards SIGTERM). */
function cli(who: Who, args: string[], input: string | Buffer = ''): Result {
  const [cmd, argv] = who === 'skiff' ? [process.execPath, [SKIFF, ...args]] : [DOCKER, args];
  const e: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: env.d.host, DOCKER_CONFIG: cfg, TZ: 'UTC' };
  delete e['DOCKER_CONTEXT'];
  delete e['DOCKER_API_VERSION'];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL', env: e, input, maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** docker 28 without buildx prints a deprecation notice about its own builder: not ours to copy. */
const noDeprecation = (s: string): string => s.replace(/^DEPRECATED: The legacy builder[\s\S]*?buildx\/\n\n/, '');

/** Runs `args` with both CLIs; statuses and masked outputs must agree. */
function same(args: string[], opts: { input?: string; maskFn?: (s: string) => string } = {}): Result {
  const m = opts.maskFn ?? mask;
  const s = cli('skiff', args, opts.input);
  if (!dockerSkip) {
    const d = cli('docker', args, opts.input);
    assert.equal(s.status, d.status, `status of ${args.join(' ')}: skiff ${s.stderr} / docker ${d.stderr}`);
    assert.equal(m(s.stdout), m(d.stdout), `stdout of ${args.join(' ')}`);
    assert.equal(m(s.stderr), m(noDeprecation(d.stderr)), `stderr of ${args.join(' ')}`);
  }
  return s;
}

/** A directory tree as text: type, mode, and content or link target of every entry. */
function tree(root: string, rel = ''): string {
  const out: string[] = [];
  for (const name of readdirSync(join(root, rel)).sort()) {
    const p = rel ? `${rel}/${name}` : name;
    const st = lstatSync(join(root, p));
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isDirectory()) out.push(`d ${mode} ${p}`, tree(root, p));
    else if (st.isSymbolicLink()) out.push(`l ${p} -> ${readlinkSync(join(root, p))}`);
    else out.push(`f ${mode} ${p} ${readFileSync(join(root, p), 'utf8')}`);
  }
  return out.filter(Boolean).join('\n');
}

test('diff: A/C/D lines; errors for a missing container and missing argument', () => {
  assert.equal(cli('skiff', ['run', '--name', 'd1', 'busybox', 'sh', '-c', 'mkdir /nd && echo x > /nd/f && rm /etc/passwd && echo y >> /etc/group']).status, 0);
  const r = same(['diff', 'd1']);
  assert.match(r.stdout, /^C \/etc\n/m);
  assert.match(r.stdout, /^C \/etc\/group$/m);
  assert.match(r.stdout, /^D \/etc\/passwd$/m);
  assert.match(r.stdout, /^A \/nd\nA \/nd\/f$/m);
  same(['container', 'diff', 'd1']);
  const miss = same(['diff', 'nosuch']);
  assert.equal(miss.status, 1);
  assert.equal(miss.stderr, 'Error response from daemon: No such container: nosuch\n');
  assert.equal(same(['diff']).status, 1);
  assert.equal(same(['diff', '--bogus', 'd1']).status, 125);
});

test('cp from a container: files, directories, trailing /., -L, tar to stdout', () => {
  assert.equal(cli('skiff', ['run', '--name', 'cp1', 'busybox', 'sh', '-c',
    'mkdir -p /data/sub && echo one > /data/a && echo two > /data/sub/b && chmod 600 /data/a && ln -s a /data/link && ln -s /data /dlink']).status, 0);
  const cases: [string, string][] = [
    ['cp1:/data', 'newdir'], ['cp1:/data/.', 'contents'], ['cp1:/data/a', 'file'], ['cp1:/data/link', 'link'],
    ['cp1:/dlink', 'dlink'],
  ];
  for (const who of active()) {
    const base = join(work, `from-${who}`);
    mkdirSync(join(base, 'existing'), { recursive: true });
    for (const [src, dst] of cases) {
      const r = cli(who, ['cp', src, join(base, dst)]);
      assert.equal(r.status, 0, `${who} cp ${src}: ${r.stderr}`);
      assert.equal(r.stdout + r.stderr, '', 'quiet without a terminal');
    }
    assert.equal(cli(who, ['cp', 'cp1:/data', join(base, 'existing')]).status, 0);
    assert.equal(cli(who, ['cp', '-L', 'cp1:/data/link', join(base, 'followed')]).status, 0);
    assert.equal(cli(who, ['container', 'cp', 'cp1:/data/sub/b', `${join(base, 'existing')}/`]).status, 0);
  }
  const mine = tree(join(work, 'from-skiff'));
  assert.match(mine, /^d 755 newdir\nf 600 newdir\/a one\n/m);
  assert.match(mine, /^l link -> a$/m);
  assert.match(mine, /^f 600 followed one$/m);
  assert.match(mine, /^f 644 contents\/sub\/b two$/m);
  assert.match(mine, /^f 644 existing\/b two$/m);
  assert.match(mine, /^d 755 existing\/data$/m);
  if (!dockerSkip) assert.equal(mine, tree(join(work, 'from-docker')));
  // `-` streams a tar of the path to stdout
  const tarOut = spawnSync('sh', ['-c', `"${process.execPath}" "${SKIFF}" cp cp1:/data - | tar -t | sort`], {
    encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', env: { ...process.env, DOCKER_HOST: env.d.host, DOCKER_CONFIG: cfg },
  });
  assert.equal(tarOut.stdout, 'data/\ndata/a\ndata/link\ndata/sub/\ndata/sub/b\n', tarOut.stderr);
});

test('cp into a container: file, directory, /., rename, stdin tar, -a', () => {
  const src = join(work, 'src');
  mkdirSync(join(src, 'dir', 'inner'), { recursive: true });
  writeFileSync(join(src, 'dir', 'f1'), 'f1\n');
  writeFileSync(join(src, 'dir', 'inner', 'f2'), 'f2\n');
  chmodSync(join(src, 'dir', 'f1'), 0o640);
  symlinkSync('f1', join(src, 'dir', 'ln'));
  writeFileSync(join(src, 'single'), 'single\n');
  const listing: Partial<Record<Who, string>> = {};
  for (const who of active()) {
    const c = `to-${who}`;
    assert.equal(cli('skiff', ['run', '-d', '--name', c, 'busybox', 'sleep', '300']).status, 0);
    const ok = (args: string[], input?: string): void => {
      const r = cli(who, args, input);
      assert.equal(r.status, 0, `${who} ${args.join(' ')}: ${r.stderr}`);
    };
    ok(['cp', join(src, 'dir'), `${c}:/tmp/`]);
    ok(['cp', `${join(src, 'dir')}/.`, `${c}:/tmp/copy`]);
    ok(['cp', join(src, 'single'), `${c}:/tmp/renamed`]);
    ok(['cp', join(src, 'single'), `${c}:/tmp/dir`]);
    ok(['cp', '-a', join(src, 'single'), `${c}:/tmp/archived`]);
    const tarball = spawnSync('tar', ['-C', src, '-c', 'single'], { timeout: 10_000 }).stdout;
    const r = spawnSync(who === 'skiff' ? process.execPath : DOCKER, [...(who === 'skiff' ? [SKIFF] : []), 'cp', '-', `${c}:/root`], {
      input: tarball, timeout: 30_000, killSignal: 'SIGKILL', env: { ...process.env, DOCKER_HOST: env.d.host, DOCKER_CONFIG: cfg },
    });
    assert.equal(r.status, 0, String(r.stderr));
    const ls = cli('skiff', ['exec', c, 'sh', '-c', 'cd /tmp && find . /root/single | sort | while read f; do echo "$f $(stat -c "%a %u" "$f")"; done; cat /tmp/renamed /tmp/dir/single /tmp/copy/inner/f2']);
    assert.equal(ls.status, 0, ls.stderr);
    listing[who] = ls.stdout;
  }
  const out = listing.skiff!;
  assert.match(out, /^\.\/dir\/f1 640 0$/m);
  assert.match(out, /^\.\/dir\/ln 777 0$/m);
  assert.match(out, /^\.\/copy\/inner\/f2 644 0$/m);
  assert.match(out, /^\.\/renamed 644 0$/m);
  assert.match(out, /^\/root\/single 644 /m);
  assert.match(out, /single\nsingle\nf2\n$/);
  if (!dockerSkip) assert.equal(out, listing.docker);
});

test('cp errors: docker messages and exit codes', () => {
  assert.equal(cli('skiff', ['create', '--name', 'cperr', 'busybox']).status, 0);
  const e1 = same(['cp', 'cperr:/nosuch', join(work, 'x')]);
  assert.equal(e1.status, 1);
  assert.equal(e1.stderr, 'Error response from daemon: Could not find the file /nosuch in container cperr\n');
  const e2 = same(['cp', join(work, 'nosuch'), 'cperr:/']);
  assert.equal(e2.stderr, `lstat ${join(work, 'nosuch')}: no such file or directory\n`);
  assert.equal(same(['cp', 'nosuch:/etc', join(work, 'y')]).stderr, 'Error response from daemon: No such container: nosuch\n');
  assert.equal(same(['cp', join(work, 'a'), join(work, 'b')]).stderr, 'must specify at least one container source\n');
  assert.equal(same(['cp', 'a:/x', 'b:/y']).stderr, 'copying between containers is not supported\n');
  assert.equal(same(['cp', 'cperr:/etc', join(work, 'nodir', 'x')]).status, 1);
  assert.equal(same(['cp', '-', 'cperr:/etc/passwd']).status, 1);
  assert.equal(same(['cp', 'cperr:/etc']).status, 1);
  assert.equal(same(['cp', '--nope', 'cperr:/etc', '/tmp']).status, 125);
  assert.ok(!existsSync(join(work, 'x')) && !existsSync(join(work, 'y')), 'nothing written on failure');
});

test('export: tar of the filesystem to -o; errors', () => {
  assert.equal(cli('skiff', ['run', '--name', 'ex1', 'busybox', 'sh', '-c', 'echo hi > /exported']).status, 0);
  const lists: string[] = [];
  for (const who of active()) {
    const file = join(work, `export-${who}.tar`);
    const r = cli(who, ['export', '-o', file, 'ex1']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((lstatSync(file).mode & 0o777).toString(8), '600');
    const t = spawnSync('tar', ['-tf', file], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort().join('\n');
    assert.match(t, /^exported$/m);
    assert.match(t, /^bin\/busybox$/m);
    lists.push(t);
  }
  if (lists.length === 2) assert.equal(lists[0], lists[1]);
  assert.equal(same(['export', '-o', join(work, 'nope.tar'), 'nosuch']).stderr, 'Error response from daemon: No such container: nosuch\n');
  assert.ok(!existsSync(join(work, 'nope.tar')), 'no file left after a failed export');
  const bad = same(['export', '-o', join(work, 'nodir', 'x.tar'), 'ex1']);
  assert.equal(bad.stderr, `failed to export container: invalid output path: stat ${join(work, 'nodir')}: no such file or directory\n`);
  assert.equal(same(['container', 'export']).status, 1);
});

test('commit: author, message, changes, pause; errors', () => {
  assert.equal(cli('skiff', ['run', '-d', '--name', 'cm1', 'busybox', 'sh', '-c', 'echo c > /committed; sleep 300']).status, 0);
  for (const who of active()) {
    const r = cli(who, ['commit', '-a', 'A U Thor', '-m', 'the message', '-c', 'ENV K=v', '-c', 'CMD ["cat","/committed"]', 'cm1', `committed-${who}:v1`]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
    const run = cli('skiff', ['run', '--rm', `committed-${who}:v1`]);
    assert.equal(run.stdout, 'c\n', run.stderr);
  }
  const fmt = '{{.Author}}|{{.Comment}}|{{.Config.Env}}|{{.Config.Cmd}}';
  const mine = cli('skiff', ['image', 'inspect', '-f', fmt, 'committed-skiff:v1']).stdout;
  assert.match(mine, /^A U Thor\|the message\|\[.*K=v\]\|\[cat \/committed\]\n$/);
  if (!dockerSkip) assert.equal(mine, cli('skiff', ['image', 'inspect', '-f', fmt, 'committed-docker:v1']).stdout);
  same(['container', 'commit', '--pause=false', 'cm1']);
  assert.equal(same(['commit', 'nosuch']).stderr, 'Error response from daemon: No such container: nosuch\n');
  assert.equal(same(['commit', '-x', 'cm1']).status, 125);
  assert.equal(same(['commit']).status, 1);
});

test('update: resources and restart policy; errors', () => {
  assert.equal(cli('skiff', ['run', '-d', '--name', 'up1', 'busybox', 'sleep', '300']).status, 0);
  const fmt = '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}';
  const states: string[] = [];
  for (const who of active()) {
    assert.equal(cli('skiff', ['update', '--memory', '0', '--cpus', '0', '--restart', 'no', 'up1']).stdout, 'up1\n');
    const r = cli(who, ['update', '-m', '64m', '--memory-swap', '128m', '--cpus', '0.5', '-c', '512', '--pids-limit', '50', '--restart', 'on-failure:3', 'up1']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'up1\n');
    states.push(cli('skiff', ['inspect', '-f', fmt, 'up1']).stdout);
  }
  assert.equal(states[0], '67108864 134217728 500000000 512 50 on-failure:3\n');
  if (states.length === 2) assert.equal(states[0], states[1]);
  assert.equal(same(['update', 'up1']).stderr, 'you must provide one or more flags when using this command\n');
  assert.equal(same(['update', '--cpus', '1', 'nosuch']).stderr, 'Error response from daemon: No such container: nosuch\n');
  assert.equal(same(['update', '--cpus', 'abc', 'up1']).status, 125);
  assert.equal(same(['update', '--memory', 'lots', 'up1']).status, 125);
  assert.equal(same(['update', '--restart', 'sometimes', 'up1']).status, 1);
  assert.equal(same(['container', 'update', '--pids-limit', '20', 'up1', 'nosuch']).status, 1);
});

test('attach: output, exit code, --no-stdin, stopped and missing containers', () => {
  for (const who of active()) {
    const name = `att-${who}`;
    assert.equal(cli('skiff', ['run', '-d', '--name', name, 'busybox', 'sh', '-c', 'sleep 2; echo out; echo err >&2; exit 5']).status, 0);
    const r = cli(who, ['attach', '--no-stdin', name]);
    assert.equal(r.status, 5, r.stderr);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
  }
  assert.equal(same(['attach', 'att-skiff']).stderr, 'You cannot attach to a stopped container, start it first\n');
  assert.equal(same(['attach', 'nosuch']).stderr, 'Error response from daemon: No such container: nosuch\n');
  assert.equal(cli('skiff', ['run', '-d', '-t', '--name', 'att-tty', 'busybox', 'sleep', '300']).status, 0);
  assert.equal(same(['attach', 'att-tty']).stderr, 'the input device is not a TTY\n');
  assert.equal(same(['attach', '--sig-proxy=maybe', 'att-tty']).status, 125);
  assert.equal(same(['container', 'attach']).status, 1);
});

test('build: legacy output, .dockerignore, tags, build args, target, -q, --iidfile, failures', () => {
  const ctx = join(work, 'ctx');
  mkdirSync(join(ctx, 'sub', 'deep'), { recursive: true });
  writeFileSync(join(ctx, 'Dockerfile'), 'FROM busybox AS base\nARG GREETING=hi\nLABEL stage=base\nCOPY . /ctx/\n' +
    'RUN echo "$GREETING" && cd /ctx && find . | sort\nFROM base AS final\nRUN echo final\n');
  writeFileSync(join(ctx, 'keep.txt'), 'keep\n');
  writeFileSync(join(ctx, 'secret.key'), 'secret\n');
  writeFileSync(join(ctx, 'sub', 'a.log'), 'log\n');
  writeFileSync(join(ctx, 'sub', 'deep', 'b.log'), 'log\n');
  writeFileSync(join(ctx, 'sub', 'deep', 'important.log'), 'log\n');
  writeFileSync(join(ctx, '.dockerignore'), '# comment\n*.key\n**/*.log\n!sub/deep/important.log\nDockerfile\n');
  const buildMask = (s: string): string => mask(s).replace(/Step \d+\/\d+ : /g, 'Step : ');
  // docker shows the last throttled upload-progress figure, not always the total: sizes agree
  // exactly only when the context is read in one go (the first build below checks that).
  const sizeMask = (s: string): string => buildMask(s).replace(/daemon +\S+\r/, 'daemon <SIZE>\r');
  const r = same(['build', '--no-cache', '-t', 'built:one', '-t', 'built:two', '--build-arg', 'GREETING=hello', '--label', 'l=1', '--target', 'base', ctx], { maskFn: buildMask });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Sending build context to Docker daemon +\d+(\.\d+)?k?B\r\r\n/);
  assert.match(r.stdout, /^hello$/m);
  // the Dockerfile reaches the daemon (which then leaves it out of COPY, as .dockerignore names it)
  assert.match(r.stdout, /^\.\n\.\/\.dockerignore\n\.\/keep\.txt\n\.\/sub\n\.\/sub\/deep\n\.\/sub\/deep\/important\.log\n/m);
  assert.doesNotMatch(r.stdout, /secret\.key|a\.log|b\.log/);
  assert.match(r.stdout, /Successfully tagged built:one\nSuccessfully tagged built:two\n$/);
  assert.equal(cli('skiff', ['image', 'inspect', '-f', '{{.Config.Labels.l}} {{.Config.Labels.stage}}', 'built:two']).stdout, '1 base\n');
  // -q prints only the id; --iidfile receives it
  for (const who of active()) {
    const iid = join(work, `iid-${who}`);
    const q = cli(who, ['image', 'build', '-q', '--iidfile', iid, ctx]);
    assert.equal(q.status, 0, q.stderr);
    assert.match(q.stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.equal(readFileSync(iid, 'utf8'), q.stdout);
  }
  // a Dockerfile from stdin, and outside the context
  // (it travels as .dockerfile.<random>, which the amended .dockerignore keeps out of COPY)
  writeFileSync(join(work, 'Dockerfile.out'), 'FROM busybox\nCOPY . /c/\nRUN ls -a /c\n');
  const outside = same(['build', '--no-cache', '-f', join(work, 'Dockerfile.out'), ctx], { maskFn: sizeMask }).stdout;
  assert.match(outside, /^\.\n\.\.\n\.dockerignore\nkeep\.txt\nsub\n/m);
  assert.doesNotMatch(outside, /\.dockerfile\./);
  assert.match(same(['build', '--no-cache', '-f', '-', ctx], { input: 'FROM busybox\nRUN echo from-stdin\n', maskFn: sizeMask }).stdout, /^from-stdin$/m);
  assert.match(same(['build', '--no-cache', '-'], { input: 'FROM busybox\nRUN echo only-dockerfile\n', maskFn: sizeMask }).stdout, /^only-dockerfile$/m);
  // a failing RUN exits with its code and docker's message
  writeFileSync(join(work, 'Dockerfile.fail'), 'FROM busybox\nRUN exit 3\n');
  const f = same(['build', '-f', join(work, 'Dockerfile.fail'), ctx], { maskFn: sizeMask });
  assert.equal(f.status, 3);
  assert.equal(f.stderr, "The command '/bin/sh -c exit 3' returned a non-zero code: 3\n");
  assert.equal(same(['build', join(work, 'nosuch')]).stderr, `unable to prepare context: path "${join(work, 'nosuch')}" not found\n`);
  assert.equal(same(['build', '-f', join(work, 'nofile'), ctx]).stderr,
    `unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${join(work, 'nofile')}: no such file or directory\n`);
  assert.equal(same(['build', '--bogus', ctx]).status, 125);
  assert.equal(same(['build']).status, 1);
});

test('system prune: prompt, sections, total; --volumes with until refused', () => {
  const declined = same(['system', 'prune']);
  assert.equal(declined.status, 0);
  assert.match(declined.stdout, /^WARNING! This will remove:\n  - all stopped containers\n/);
  assert.match(declined.stdout, /Are you sure you want to continue\? \[y\/N\] $/);
  same(['system', 'prune', '-a', '--filter', 'label=a=b', '--filter', 'until=24h', '--filter', 'label!=c']);
  same(['system', 'prune', '--volumes', '--filter', 'label=x']);
  const until = same(['system', 'prune', '--volumes', '--filter', 'until=1h', '-f']);
  assert.equal(until.status, 1);
  assert.equal(until.stderr, 'ERROR: The "until" filter is not supported with "--volumes"\n');
  assert.equal(same(['system', 'prune', '--nope']).status, 125);
  assert.equal(same(['system', 'prune', 'extra']).status, 1);
  // what each CLI removes: one stopped container and one unused network each
  const pruneMask = (s: string): string => mask(s).replace(/Total reclaimed space: .*/, 'Total reclaimed space: <SIZE>');
  const outs: string[] = [];
  for (const who of active()) {
    cli('skiff', ['rm', '-f', ...cli('skiff', ['ps', '-aq']).stdout.split('\n').filter(Boolean)]);
    assert.equal(cli('skiff', ['create', '--name', `pr-${who}`, 'busybox']).status, 0);
    assert.equal(cli('skiff', ['network', 'create', 'prunenet']).status, 0);
    const r = cli(who, ['system', 'prune', '-f']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Deleted Containers:\n[0-9a-f]{64}\n\nDeleted Networks:\nprunenet\n\n/);
    assert.match(r.stdout, /Total reclaimed space: \S+\n$/);
    // images and build cache left by the other tests go with the first prune only
    outs.push(pruneMask(r.stdout).replace(/Deleted (Images|build cache objects):\n[\s\S]*?\n\n/g, ''));
  }
  if (outs.length === 2) assert.equal(outs[0], outs[1]);
  assert.equal(cli('skiff', ['ps', '-aq']).stdout, '');
});

test('volume update: cluster volumes only', () => {
  assert.equal(cli('skiff', ['volume', 'create', 'vu']).status, 0);
  assert.equal(same(['volume', 'update', 'vu']).status, 1);
  assert.equal(same(['volume', 'update', 'nosuch']).status, 1);
});

test('builder prune: prompts, -f, -a, deleted objects and total; errors', () => {
  const declined = same(['builder', 'prune']);
  assert.equal(declined.status, 0);
  assert.equal(declined.stdout, 'WARNING! This will remove all dangling build cache. Are you sure you want to continue? [y/N] ');
  assert.equal(same(['builder', 'prune', '-a']).stdout, 'WARNING! This will remove all build cache. Are you sure you want to continue? [y/N] ');
  assert.equal(same(['builder', 'prune', '--nope']).status, 125);
  assert.equal(same(['builder', 'prune', 'extra']).status, 1);
  // A build leaves cache objects; the first prune lists them, a blank line, then the total.
  const ctx = join(work, 'bp');
  mkdirSync(ctx, { recursive: true });
  writeFileSync(join(ctx, 'Dockerfile'), 'FROM busybox\nRUN echo cached > /c\n');
  const pm = (s: string): string => mask(s).replace(/Deleted build cache objects:\n[\s\S]*?\n\n/, '').replace(/Total reclaimed space: .*/, 'Total reclaimed space: <SIZE>');
  for (const who of active()) {
    assert.equal(cli(who, ['build', '-q', '-t', 'bp:1', ctx]).status, 0);
    assert.equal(cli('skiff', ['rmi', 'bp:1']).status, 0);
    const r = cli(who, ['builder', 'prune', '-f']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Deleted build cache objects:\n([0-9a-f]{64}\n)+\nTotal reclaimed space: \S+\n$/);
  }
  same(['builder', 'prune', '-a', '-f'], { maskFn: pm });
});
