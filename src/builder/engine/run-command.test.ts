/** The argv a RUN with heredocs runs, in each of the shapes BuildKit's frontend tells apart. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInstruction, type Command } from '../instructions/index.js';
import { parseDockerfile } from '../parser/index.js';
import { BuildArgs } from './args.js';
import { runCommand } from './run-command.js';
import type { StageState } from './step.js';

function run(text: string): Extract<Command, { kind: 'run' }> {
  const c = parseInstruction(parseDockerfile(text).ast.children[0]!);
  assert.equal(c.kind, 'run');
  return c as Extract<Command, { kind: 'run' }>;
}

const state = (shell?: string[]): StageState => ({ imageId: 'x', config: shell ? { Shell: shell } : {}, args: new BuildArgs({}), cmdSet: false });

test('a lone heredoc is the shell command; <<- strips tabs', () => {
  assert.deepEqual(runCommand(state(), run('RUN <<EOF\necho a\necho b\nEOF\n')), { argv: ['/bin/sh', '-c', 'echo a\necho b\n'] });
  assert.deepEqual(runCommand(state(['bash', '-c']), run('RUN <<-EOF\n\techo a\n\tEOF\n')).argv, ['bash', '-c', 'echo a\n']);
});

test('a shebang heredoc becomes a script under /dev/pipes', () => {
  const r = runCommand(state(), run('RUN <<EOT\n#!/usr/bin/env python3\nprint(1)\nEOT\n'));
  assert.deepEqual(r.argv, ['/bin/sh', '-c', '/dev/pipes/EOT']);
  assert.deepEqual(r.script, { name: 'EOT', data: '#!/usr/bin/env python3\nprint(1)\n' });
});

test('a command before the heredocs hands the whole text to the shell', () => {
  assert.deepEqual(runCommand(state(), run("RUN python3 <<'EOF'\nprint('$x')\nEOF\n")).argv, ['/bin/sh', '-c', "python3 <<'EOF'\nprint('$x')\nEOF"]);
  assert.deepEqual(runCommand(state(), run('RUN cat <<A <<-B\na\nA\n\tb\n\tB\n')).argv, ['/bin/sh', '-c', 'cat <<A <<-B\na\nA\n\tb\nB']);
});

test('no heredoc: shell and exec forms as before', () => {
  assert.deepEqual(runCommand(state(), run('RUN echo hi')).argv, ['/bin/sh', '-c', 'echo hi']);
  assert.deepEqual(runCommand(state(), run('RUN ["echo", "hi"]')).argv, ['echo', 'hi']);
});
