/**
 * AST → typed instructions → stages (BuildKit `instructions.Parse`). Errors name the line the
 * way Docker prints them: `dockerfile parse error on line 3: unknown instruction: FOO`, and keep
 * the instruction's lines for a source excerpt.
 */
import { DockerfileParseError } from '../parser/errors.js';
import type { Node } from '../parser/node.js';
import { parseAdd, parseCopy } from './parse-copy.js';
import { parseCmd, parseEntrypoint, parseHealthcheck, parseRun, parseShell } from './parse-exec.js';
import {
  parseArg, parseEnv, parseExpose, parseFrom, parseLabel, parseMaintainer, parseOnBuild, parseStopSignal,
  parseUser, parseVolume, parseWorkdir,
} from './parse-simple.js';
import { requestFromNode, type ParseRequest } from './request.js';
import { withSuggestion } from './suggest.js';
import type { Command, Instruction, Stage } from './types.js';

const PARSERS: ReadonlyMap<string, (req: ParseRequest) => Instruction> = new Map<string, (req: ParseRequest) => Instruction>([
  ['add', parseAdd], ['arg', parseArg], ['cmd', parseCmd], ['copy', parseCopy], ['entrypoint', parseEntrypoint],
  ['env', parseEnv], ['expose', parseExpose], ['from', parseFrom], ['healthcheck', parseHealthcheck],
  ['label', parseLabel], ['maintainer', parseMaintainer], ['onbuild', parseOnBuild], ['run', parseRun],
  ['shell', parseShell], ['stopsignal', parseStopSignal], ['user', parseUser], ['volume', parseVolume],
  ['workdir', parseWorkdir],
]);

const INSTRUCTION_NAMES = [...PARSERS.keys()].map((k) => k.toUpperCase());

/** An instruction keyword Docker does not know; kept apart so callers can count such failures. */
export class UnknownInstructionError extends DockerfileParseError {
  readonly instruction: string;
  constructor(message: string, instruction: string, startLine: number, endLine: number) {
    super(message, startLine, endLine);
    this.instruction = instruction;
  }
}

/** One instruction node → its typed form. Errors carry the node's lines, message unprefixed. */
export function parseInstruction(node: Node): Instruction {
  const parse = PARSERS.get(node.value.toLowerCase());
  if (!parse) {
    const message = withSuggestion(`unknown instruction: ${node.value}`, node.value, INSTRUCTION_NAMES, false);
    throw new UnknownInstructionError(message, node.value, node.startLine, node.endLine);
  }
  try {
    return parse(requestFromNode(node));
  } catch (e) {
    if (e instanceof DockerfileParseError) throw e;
    throw new DockerfileParseError((e as Error).message, node.startLine, node.endLine, e);
  }
}

export interface ParsedStages {
  stages: Stage[];
  /** ARGs before the first FROM: usable in FROM lines, and declarable again inside stages. */
  metaArgs: Extract<Command, { kind: 'arg' }>[];
}

export function parseStages(ast: Node): ParsedStages {
  const stages: Stage[] = [];
  const metaArgs: ParsedStages['metaArgs'] = [];
  for (const node of ast.children) {
    let cmd: Instruction;
    try {
      cmd = parseInstruction(node);
    } catch (e) {
      const err = e as DockerfileParseError;
      const message = `dockerfile parse error on line ${node.startLine}: ${err.message}`;
      if (err instanceof UnknownInstructionError) {
        throw new UnknownInstructionError(message, err.instruction, err.startLine, err.endLine);
      }
      throw new DockerfileParseError(message, err.startLine, err.endLine, err);
    }
    if (cmd.kind === 'from') {
      stages.push(cmd);
    } else if (stages.length === 0) {
      if (cmd.kind !== 'arg') throw new DockerfileParseError('no build stage in current context', node.startLine, node.endLine);
      metaArgs.push(cmd);
    } else {
      stages[stages.length - 1]!.commands.push(cmd);
    }
  }
  return { stages, metaArgs };
}

/** A stage by `AS` name (case-insensitive) or by index, as `COPY --from` and `--target` refer to it. */
export function findStage(stages: readonly Stage[], ref: string): number {
  const byName = stages.findIndex((s) => s.name !== '' && s.name === ref.toLowerCase());
  if (byName >= 0) return byName;
  return /^[0-9]+$/.test(ref) && Number(ref) < stages.length ? Number(ref) : -1;
}
