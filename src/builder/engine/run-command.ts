/**
 * The command a RUN executes, with heredocs as BuildKit's Dockerfile frontend runs them:
 * `RUN <<EOF` alone runs the document's text with the stage's shell (as if it were the command
 * line), unless it starts with `#!`, in which case it is written to a file mounted read-only at
 * `/dev/pipes/<name>` and that file is run as a script. Any other shape (`RUN python3 <<EOF`,
 * several documents) is handed to the shell whole, documents and delimiters included, so the
 * shell does the redirection, the `<<-` tab stripping and the quoted-delimiter rules itself.
 */
import { invalidArgument } from '../../common/errors.js';
import type { Command } from '../instructions/index.js';
import { chompHeredocContent, parseHeredoc } from '../parser/index.js';
import { commandLine } from './dispatch-meta.js';
import type { StageState } from './step.js';

export const PIPES_DIR = '/dev/pipes';

export interface RunCommand {
  argv: string[];
  /** A shebang heredoc to mount at `/dev/pipes/<name>` (mode 0755). */
  script?: { name: string; data: string };
}

function marker(word: string): boolean {
  try {
    return parseHeredoc(word) !== undefined;
  } catch {
    return false;
  }
}

export function runCommand(state: StageState, cmd: Extract<Command, { kind: 'run' }>): RunCommand {
  if (cmd.files.length === 0) return { argv: commandLine(state, cmd) };
  if (cmd.cmdLine.length !== 1 || !cmd.prependShell) {
    throw invalidArgument(`parsing produced an invalid run command: [${cmd.cmdLine.join(' ')}]`);
  }
  const first = cmd.files[0]!;
  if (marker(cmd.cmdLine[0]!)) {
    const data = first.chomp ? chompHeredocContent(first.data) : first.data;
    if (data.startsWith('#!')) {
      const name = first.name.replace(/\//g, '_');
      return { argv: commandLine(state, { cmdLine: [`${PIPES_DIR}/${name}`], prependShell: true }), script: { name, data } };
    }
    return { argv: commandLine(state, { cmdLine: [data], prependShell: true }) };
  }
  let full = cmd.cmdLine[0]!;
  for (const f of cmd.files) full += `\n${f.data}${f.name}`;
  return { argv: commandLine(state, { cmdLine: [full], prependShell: true }) };
}
