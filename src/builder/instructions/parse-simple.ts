/**
 * Instructions whose arguments are words or pairs: ENV, LABEL, ARG, MAINTAINER, WORKDIR, USER,
 * VOLUME, EXPOSE, STOPSIGNAL, FROM and ONBUILD. Which of them check flags is BuildKit's choice
 * (ARG and STOPSIGNAL do not), kept here so the same Dockerfiles pass and fail.
 */
import { goQuote } from '../shell/go-quote.js';
import { trimSpace } from '../shell/unicode.js';
import {
  base, docComment, errAtLeastOneArgument, errBlankCommandNames, errExactlyOneArgument, type ParseRequest,
} from './request.js';
import type { Command, KeyValuePair, Stage } from './types.js';

type Of<K extends Command['kind']> = Extract<Command, { kind: K }>;

function parseKvps(args: string[], cmd: string): KeyValuePair[] {
  if (args.length === 0) throw errAtLeastOneArgument(cmd);
  if (args.length % 3 !== 0) throw new Error(`Bad input to ${cmd}, too many arguments`);
  const out: KeyValuePair[] = [];
  for (let j = 0; j < args.length; j += 3) {
    if (args[j] === '') throw errBlankCommandNames(cmd);
    out.push({ key: args[j]!, value: args[j + 1]!, noDelim: args[j + 2] === '' });
  }
  return out;
}

export function parseEnv(req: ParseRequest): Of<'env'> {
  req.flags.parse();
  return { kind: 'env', ...base(req), env: parseKvps(req.args, 'ENV') };
}

export function parseLabel(req: ParseRequest): Of<'label'> {
  req.flags.parse();
  return { kind: 'label', ...base(req), labels: parseKvps(req.args, 'LABEL') };
}

function oneArg(req: ParseRequest, cmd: string): string {
  if (req.args.length !== 1) throw errExactlyOneArgument(cmd);
  req.flags.parse();
  return req.args[0]!;
}

export function parseMaintainer(req: ParseRequest): Of<'maintainer'> {
  return { kind: 'maintainer', ...base(req), maintainer: oneArg(req, 'MAINTAINER') };
}

export function parseWorkdir(req: ParseRequest): Of<'workdir'> {
  return { kind: 'workdir', ...base(req), path: oneArg(req, 'WORKDIR') };
}

export function parseUser(req: ParseRequest): Of<'user'> {
  return { kind: 'user', ...base(req), user: oneArg(req, 'USER') };
}

export function parseStopSignal(req: ParseRequest): Of<'stopsignal'> {
  if (req.args.length !== 1) throw errExactlyOneArgument('STOPSIGNAL');
  return { kind: 'stopsignal', ...base(req), signal: req.args[0]! };
}

export function parseExpose(req: ParseRequest): Of<'expose'> {
  if (req.args.length === 0) throw errAtLeastOneArgument('EXPOSE');
  req.flags.parse();
  return { kind: 'expose', ...base(req), ports: [...req.args].sort() };
}

export function parseVolume(req: ParseRequest): Of<'volume'> {
  if (req.args.length === 0) throw errAtLeastOneArgument('VOLUME');
  req.flags.parse();
  const volumes = req.args.map((v) => v.trim());
  if (volumes.includes('')) throw new Error('VOLUME specified can not be an empty string');
  return { kind: 'volume', ...base(req), volumes };
}

export function parseArg(req: ParseRequest): Of<'arg'> {
  if (req.args.length === 0) throw errAtLeastOneArgument('ARG');
  const args = req.args.map((arg) => {
    const eq = arg.indexOf('=');
    if (eq === 0) throw errBlankCommandNames('ARG');
    const key = eq < 0 ? arg : arg.slice(0, eq);
    const def = { key, docComment: docComment(req.comments, key) };
    return eq < 0 ? def : { ...def, value: arg.slice(eq + 1) };
  });
  return { kind: 'arg', ...base(req), args };
}

const VALID_STAGE_NAME = /^[a-z][a-z0-9_.-]*$/;

export function parseFrom(req: ParseRequest): Stage {
  const args = req.args;
  let name = '';
  if (args.length === 3 && args[1]!.toLowerCase() === 'as') {
    name = args[2]!.toLowerCase();
    if (!VALID_STAGE_NAME.test(name)) {
      throw new Error(`invalid name for build stage: ${goQuote(args[2]!)}, name can't start with a number or contain symbols`);
    }
  } else if (args.length !== 1) {
    throw new Error('FROM requires either one or three arguments');
  }
  req.flags.string('platform').parse();
  return {
    kind: 'from',
    name,
    baseName: args[0]!,
    platform: req.flags.str('platform'),
    origCmd: req.command,
    sourceCode: trimSpace(req.original),
    location: req.location,
    comments: req.comments,
    docComment: docComment(req.comments, name),
    commands: [],
  };
}

export function parseOnBuild(req: ParseRequest): Of<'onbuild'> {
  if (req.args.length === 0) throw errAtLeastOneArgument('ONBUILD');
  req.flags.parse();
  const trigger = req.args[0]!.trim().toUpperCase();
  if (trigger === 'ONBUILD') throw new Error('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
  if (trigger === 'MAINTAINER' || trigger === 'FROM') throw new Error(`${trigger} isn't allowed as an ONBUILD trigger`);
  // The trigger is stored as source text and parsed again when a child image is built.
  let expression = req.original.replace(/^[\t\n\f\r ]*ONBUILD[\t\n\f\r ]*/i, '');
  for (const h of req.heredocs) expression += '\n' + h.content + h.name;
  return { kind: 'onbuild', ...base(req), expression };
}
