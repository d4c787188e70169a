/**
 * Instructions that run or name a command: RUN (with `--mount`, `--network`, `--security`,
 * `--device`), CMD, ENTRYPOINT, HEALTHCHECK and SHELL. Shell form becomes one string that the
 * stage's SHELL is put in front of at dispatch; exec form keeps its argv.
 */
import { goQuote } from '../shell/go-quote.js';
import { parseGoDuration } from './duration.js';
import { checkMountAtParse } from './mount.js';
import { base, errAtLeastOneArgument, errNotJSON, handleJSONArgs, type ParseRequest } from './request.js';
import type { Command, CommandLine, HealthConfig, RunNetwork, RunSecurity } from './types.js';

type Of<K extends Command['kind']> = Extract<Command, { kind: K }>;

const NETWORKS: readonly string[] = ['default', 'none', 'host'];
const SECURITY: readonly string[] = ['sandbox', 'insecure'];

function commandLine(req: ParseRequest): CommandLine {
  return {
    cmdLine: handleJSONArgs(req.args, req.json),
    files: req.heredocs.map((h) => ({ name: h.name, data: h.content, chomp: h.chomp })),
    prependShell: !req.json,
  };
}

export function parseRun(req: ParseRequest): Of<'run'> {
  req.flags.strings('device').strings('mount').string('network', 'default').string('security', 'sandbox').parse();
  const mounts = req.flags.list('mount');
  for (const m of mounts) checkMountAtParse(m);
  const network = req.flags.str('network');
  if (!NETWORKS.includes(network)) throw new Error(`invalid network mode ${goQuote(network)}`);
  const security = req.flags.str('security');
  if (!SECURITY.includes(security)) throw new Error(`security ${goQuote(security)} is not valid`);
  return {
    kind: 'run',
    ...base(req),
    ...commandLine(req),
    mounts,
    network: network as RunNetwork,
    security: security as RunSecurity,
    devices: req.flags.list('device'),
    flagsUsed: req.flags.usedNames(),
  };
}

export function parseCmd(req: ParseRequest): Of<'cmd'> {
  req.flags.parse();
  return { kind: 'cmd', ...base(req), ...commandLine(req) };
}

export function parseEntrypoint(req: ParseRequest): Of<'entrypoint'> {
  req.flags.parse();
  return { kind: 'entrypoint', ...base(req), ...commandLine(req) };
}

export function parseShell(req: ParseRequest): Of<'shell'> {
  req.flags.parse();
  const shell = handleJSONArgs(req.args, req.json);
  if (shell.length === 0) throw errAtLeastOneArgument('SHELL');
  if (!req.json) throw errNotJSON('SHELL');
  return { kind: 'shell', ...base(req), shell };
}

/** A duration flag: 0 when unset or zero, else at least a millisecond. */
function interval(req: ParseRequest, flag: string): number {
  const s = req.flags.str(flag);
  if (s === '') return 0;
  const d = parseGoDuration(s);
  if (d === 0) return 0;
  if (d < 1e6) throw new Error(`Interval ${goQuote(flag)} cannot be less than 1ms`);
  return d;
}

/** Go's strconv.ParseInt(s, 10, 32), with its error text. */
function parseInt32(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`);
  const n = Number(s);
  if (n > 2 ** 31 - 1 || n < -(2 ** 31)) throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: value out of range`);
  return n;
}

export function parseHealthcheck(req: ParseRequest): Of<'healthcheck'> {
  if (req.args.length === 0) throw errAtLeastOneArgument('HEALTHCHECK');
  const typ = req.args[0]!.toUpperCase();
  const args = req.args.slice(1);
  const health: HealthConfig = { test: [typ], interval: 0, timeout: 0, startPeriod: 0, startInterval: 0, retries: 0 };
  if (typ === 'NONE') {
    if (args.length !== 0) throw new Error('HEALTHCHECK NONE takes no arguments');
    return { kind: 'healthcheck', ...base(req), health };
  }
  req.flags.string('interval').string('timeout').string('start-period').string('start-interval').string('retries').parse();
  if (typ !== 'CMD') throw new Error(`Unknown type ${goQuote(typ)} in HEALTHCHECK (try CMD)`);
  const cmd = handleJSONArgs(args, req.json);
  if (cmd.length === 0) throw new Error('Missing command after HEALTHCHECK CMD');
  health.test = [req.json ? 'CMD' : 'CMD-SHELL', ...cmd];
  health.interval = interval(req, 'interval');
  health.timeout = interval(req, 'timeout');
  health.startPeriod = interval(req, 'start-period');
  health.startInterval = interval(req, 'start-interval');
  const retries = req.flags.str('retries');
  if (retries !== '') {
    health.retries = parseInt32(retries);
    if (health.retries < 0) throw new Error(`--retries cannot be negative (${health.retries})`);
  }
  return { kind: 'healthcheck', ...base(req), health };
}
