/** Typed instructions: flags, forms, errors worded as Docker's, stages and meta ARGs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../parser/parser.js';
import { parseGoDuration } from './duration.js';
import { csvFields, parseMount, ramInBytes } from './mount.js';
import { findStage, parseInstruction, parseStages, UnknownInstructionError } from './parse.js';
import type { Command, Instruction } from './types.js';

function one(line: string): Instruction {
  return parseInstruction(parseDockerfile(line).ast.children[0]!);
}

function cmd<K extends Command['kind']>(line: string, kind: K): Extract<Command, { kind: K }> {
  const c = one(line);
  assert.equal(c.kind, kind);
  return c as Extract<Command, { kind: K }>;
}

function fails(text: string, message: string): void {
  assert.throws(() => parseStages(parseDockerfile(text).ast), (e: Error) => {
    assert.equal(e.message, message);
    return true;
  });
}

test('stages, AS names, --platform and meta ARGs', () => {
  const { stages, metaArgs } = parseStages(parseDockerfile(
    '# v is the version\nARG v=1\nFROM --platform=$BUILDPLATFORM golang:$v AS Build\nRUN make\n# out the result\nFROM scratch as out\nCOPY --from=build /a /b\n',
  ).ast);
  assert.deepEqual(metaArgs[0]!.args, [{ key: 'v', value: '1', docComment: 'is the version' }]);
  assert.equal(stages.length, 2);
  assert.deepEqual([stages[0]!.name, stages[0]!.baseName, stages[0]!.platform], ['build', 'golang:$v', '$BUILDPLATFORM']);
  assert.equal(stages[0]!.commands[0]!.kind, 'run');
  assert.equal(stages[1]!.docComment, 'the result');
  assert.equal(findStage(stages, 'BUILD'), 0);
  assert.equal(findStage(stages, '1'), 1);
  assert.equal(findStage(stages, 'nope'), -1);
});

test('errors name the line as Docker does', () => {
  fails('FROM a\n\nBADCMD bar\n', 'dockerfile parse error on line 3: unknown instruction: BADCMD');
  fails('FROM a\nFOO bar\n', 'dockerfile parse error on line 2: unknown instruction: FOO (did you mean FROM?)');
  fails('FROM a\nFORM b\n', 'dockerfile parse error on line 2: unknown instruction: FORM (did you mean FROM?)');
  fails('FROM a\nCOPY \\\n  x\n', 'dockerfile parse error on line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined');
  fails('FROM a AS 1x\n', 'dockerfile parse error on line 1: invalid name for build stage: "1x", name can\'t start with a number or contain symbols');
  fails('FROM a b\n', 'dockerfile parse error on line 1: FROM requires either one or three arguments');
  fails('RUN x\n', 'no build stage in current context');
  assert.throws(() => parseStages(parseDockerfile('FROM a\nfoo\n').ast), (e: unknown) =>
    e instanceof UnknownInstructionError && e.instruction === 'foo' && e.startLine === 2 && e.kind === 'invalid-argument');
});

test('COPY and ADD flags and heredoc sources', () => {
  const c = cmd('COPY --from=b --chown=1:2 --chmod=644 --link --parents --exclude=*.md --exclude=x <<EOF a /dst\nhi\nEOF\n', 'copy');
  assert.deepEqual([c.from, c.chown, c.chmod, c.link, c.parents], ['b', '1:2', '644', true, true]);
  assert.deepEqual(c.excludePatterns, ['*.md', 'x']);
  assert.deepEqual(c.sourcePaths, ['a']);
  assert.deepEqual(c.sourceContents, [{ path: 'EOF', data: 'hi\n', expand: true }]);
  assert.equal(c.destPath, '/dst');
  const a = cmd('ADD --unpack=false --checksum=sha256:x <<-\'E\' /f\n\tx\nE\n', 'add');
  assert.equal(a.unpack, false);
  assert.equal(a.keepGitDir, undefined);
  assert.deepEqual(a.sourceContents, [{ path: 'E', data: 'x\n', expand: false }]);
  assert.throws(() => one('COPY --link=maybe a b'), { message: 'expecting boolean value for flag --link, not: maybe' });
  assert.throws(() => one('COPY --form=a a b'), { message: 'unknown flag: --form (did you mean from?)' });
  assert.throws(() => one('COPY --from=a --from=b a b'), { message: 'duplicate flag specified: --from' });
  assert.throws(() => one('COPY --from a b'), { message: 'missing a value on flag: --from' });
  assert.throws(() => one('COPY a <<EOF\nEOF\n'), { message: 'COPY cannot accept a heredoc as a destination' });
});

test('RUN flags and forms', () => {
  const r = cmd('RUN --mount=type=cache,target=/c --network=none --security=insecure ["a", "b"]', 'run');
  assert.deepEqual([r.mounts, r.network, r.security, r.cmdLine, r.prependShell], [['type=cache,target=/c'], 'none', 'insecure', ['a', 'b'], false]);
  assert.deepEqual(r.flagsUsed.sort(), ['mount', 'network', 'security']);
  const s = cmd('RUN <<EOF\necho $HOME\nEOF\n', 'run');
  assert.deepEqual([s.cmdLine, s.prependShell, s.network, s.security], [['<<EOF'], true, 'default', 'sandbox']);
  assert.deepEqual(s.files, [{ name: 'EOF', data: 'echo $HOME\n', chomp: false }]);
  assert.throws(() => one('RUN --network=bridge x'), { message: 'invalid network mode "bridge"' });
  assert.throws(() => one('RUN --mount=from=$X,target=/a x'), { message: "'from' doesn't support variable expansion, define alias stage instead" });
});

test('RUN --mount values once variables are known', () => {
  const expand = (w: string): string => w.replace('$T', 'tmpfs');
  assert.deepEqual(parseMount('type=$T,target=/t,size=64m', expand),
    { type: 'tmpfs', from: '', source: '', target: '/t', readOnly: false, sizeLimit: 64 * 1024 * 1024, cacheId: '', cacheSharing: '', required: false });
  const secret = parseMount('type=secret,id=tok,required,mode=0400', (w) => w);
  assert.deepEqual([secret.readOnly, secret.required, secret.mode], [true, true, 0o400]);
  assert.equal(parseMount('target=/src,rw', (w) => w).readOnly, false);
  assert.throws(() => parseMount('type=bind,uid=1', (w) => w), { message: 'uid not allowed for "bind" type mounts' });
  assert.throws(() => parseMount('type=cahce', (w) => w), { message: 'unsupported mount type "cahce" (did you mean cache?)' });
  assert.throws(() => parseMount('type=secret', (w) => w), { message: 'invalid secret mount. one of source, target required' });
  assert.throws(() => csvFields('a="b,c"'), { message: 'bare " in non-quoted-field' });
  assert.deepEqual(csvFields('"a=""b""",c'), ['a="b"', 'c']);
  assert.deepEqual(csvFields('"a=b,c",d'), ['a=b,c', 'd']);
  assert.equal(ramInBytes('1.5GiB'), 1.5 * 1024 ** 3);
});

test('HEALTHCHECK options and durations', () => {
  const h = cmd('HEALTHCHECK --interval=1m30s --timeout=3s --start-period=0s --retries=3 CMD curl -f x', 'healthcheck');
  assert.deepEqual(h.health, { test: ['CMD-SHELL', 'curl -f x'], interval: 90e9, timeout: 3e9, startPeriod: 0, startInterval: 0, retries: 3 });
  assert.deepEqual(cmd('HEALTHCHECK CMD ["a", "b"]', 'healthcheck').health.test, ['CMD', 'a', 'b']);
  assert.deepEqual(cmd('HEALTHCHECK none', 'healthcheck').health.test, ['NONE']);
  assert.throws(() => one('HEALTHCHECK NONE x'), { message: 'HEALTHCHECK NONE takes no arguments' });
  assert.throws(() => one('HEALTHCHECK CMD'), { message: 'Missing command after HEALTHCHECK CMD' });
  assert.throws(() => one('HEALTHCHECK CONNECT TCP 7000'), { message: 'Unknown type "CONNECT" in HEALTHCHECK (try CMD)' });
  assert.throws(() => one('HEALTHCHECK --interval=1us CMD x'), { message: 'Interval "interval" cannot be less than 1ms' });
  assert.throws(() => one('HEALTHCHECK --retries=-1 CMD x'), { message: '--retries cannot be negative (-1)' });
  assert.throws(() => one('HEALTHCHECK --timeout=5 CMD x'), { message: 'time: missing unit in duration "5"' });
  assert.equal(parseGoDuration('1.5h'), 5400e9);
  assert.equal(parseGoDuration('-300ms'), -300e6);
  assert.throws(() => parseGoDuration('1d'), { message: 'time: unknown unit "d" in duration "1d"' });
});

test('ENV, LABEL, ARG, SHELL, ONBUILD and word instructions', () => {
  assert.deepEqual(cmd('ENV a=1 b=', 'env').env, [{ key: 'a', value: '1', noDelim: false }, { key: 'b', value: '', noDelim: false }]);
  assert.deepEqual(cmd('ENV k v w', 'env').env, [{ key: 'k', value: 'v w', noDelim: true }]);
  assert.deepEqual(cmd('LABEL "a b"=c', 'label').labels, [{ key: '"a b"', value: 'c', noDelim: false }]);
  assert.deepEqual(cmd('ARG a b=', 'arg').args, [{ key: 'a', docComment: '' }, { key: 'b', value: '', docComment: '' }]);
  assert.throws(() => one('ARG =x'), { message: 'ARG names can not be blank' });
  assert.throws(() => one('ENV'), { message: 'ENV requires at least one argument' });
  assert.deepEqual(cmd('SHELL ["sh", "-c"]', 'shell').shell, ['sh', '-c']);
  assert.throws(() => one('SHELL sh -c'), { message: 'SHELL requires the arguments to be in JSON form' });
  assert.equal(cmd('ONBUILD RUN echo hi', 'onbuild').expression, 'RUN echo hi');
  assert.equal(cmd('ONBUILD COPY <<EOF /x\nhi\nEOF\n', 'onbuild').expression, 'COPY <<EOF /x\nhi\nEOF');
  assert.throws(() => one('ONBUILD FROM scratch'), { message: "FROM isn't allowed as an ONBUILD trigger" });
  assert.throws(() => one('ONBUILD ONBUILD RUN x'), { message: 'Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed' });
  assert.throws(() => one('MAINTAINER --boo joe'), { message: 'unknown flag: --boo' });
  assert.deepEqual(cmd('EXPOSE 8080 443/tcp 80', 'expose').ports, ['443/tcp', '80', '8080']);
  assert.deepEqual(cmd('VOLUME ["/a", "/b"]', 'volume').volumes, ['/a', '/b']);
  assert.throws(() => one('VOLUME [""]'), { message: 'VOLUME specified can not be an empty string' });
  assert.equal(cmd('WORKDIR /a b', 'workdir').path, '/a b');
  assert.throws(() => one('WORKDIR'), { message: 'WORKDIR requires exactly one argument' });
  assert.equal(cmd('STOPSIGNAL SIGTERM', 'stopsignal').signal, 'SIGTERM');
  assert.deepEqual(cmd('ENTRYPOINT []', 'entrypoint').cmdLine, []);
  assert.equal(cmd('USER 1000:1000', 'user').user, '1000:1000');
});
