/**
 * skiff-runc: a runc-compatible OCI runtime CLI over the planner and skiff-init. Global flags
 * come before the verb (`--root`, `--log`, `--log-format`, `--debug`), as with runc, so that
 * containerd-shim or conformance tools can drive it in runc's place.
 */
import { appendFileSync } from 'node:fs';
import { isEngineError } from '../../common/errors.js';
import { SKIFF_VERSION } from '../../common/version.js';
import { parseFlags, str, bool, type FlagSpec } from './flags.js';
import { Runtime } from './container.js';
import { DEFAULT_ROOT, StateStore } from './state-store.js';
import type { Command, GlobalOptions } from './command.js';
import { create } from './commands/create.js';
import { start } from './commands/start.js';
import { run } from './commands/run.js';
import { state } from './commands/state.js';
import { kill } from './commands/kill.js';
import { del } from './commands/delete.js';
import { pause, resume } from './commands/pause.js';
import { exec } from './commands/exec.js';
import { ps } from './commands/ps.js';
import { list } from './commands/list.js';
import { spec, features } from './commands/spec.js';
import { events } from './commands/events.js';

const COMMANDS: Command[] = [create, del, events, exec, features, kill, list, pause, ps, resume, run, spec, start, state];

const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'root', kind: 'string' },
  { name: 'log', kind: 'string' },
  { name: 'log-format', kind: 'string' },
  { name: 'debug', kind: 'bool' },
  { name: 'systemd-cgroup', kind: 'bool' },
  { name: 'rootless', kind: 'string' },
  { name: 'criu', kind: 'string' },
  { name: 'help', alias: 'h', kind: 'bool' },
  { name: 'version', alias: 'v', kind: 'bool' },
];

function help(): string {
  const lines = [
    'NAME:', '   skiff-runc - Open Container Initiative runtime (Skiff)', '',
    'USAGE:', '   skiff-runc [global options] command [command options] [arguments...]', '',
    'COMMANDS:',
    ...COMMANDS.map((c) => `   ${c.name.padEnd(10)} ${c.summary}`), '',
    'GLOBAL OPTIONS:',
    `   --root value        root directory for storage of container state (default: "${DEFAULT_ROOT}")`,
    '   --log value         set the log file to write runtime logs to (default: stderr)',
    '   --log-format value  set the log format ("text" (default), or "json")',
    '   --debug             enable debug logging',
    '   --help, -h          show help',
    '   --version, -v       print the version',
  ];
  return lines.join('\n') + '\n';
}

function logError(g: GlobalOptions, msg: string): void {
  if (g.log) {
    const time = new Date().toISOString();
    const line = g.logFormat === 'json'
      ? JSON.stringify({ level: 'error', msg, time }) + '\n'
      : `time="${time}" level=error msg=${JSON.stringify(msg)}\n`;
    try { appendFileSync(g.log, line); } catch { /* fall back to stderr only */ }
  }
  process.stderr.write(`skiff-runc: ${msg}\n`);
}

export async function main(argv: string[]): Promise<number> {
  const global: GlobalOptions = { root: DEFAULT_ROOT, logFormat: 'text', debug: false };
  try {
    const g = parseFlags(argv, GLOBAL_FLAGS, true);
    global.root = str(g.flags, 'root') ?? DEFAULT_ROOT;
    global.log = str(g.flags, 'log');
    global.logFormat = str(g.flags, 'log-format') === 'json' ? 'json' : 'text';
    global.debug = bool(g.flags, 'debug');
    if (bool(g.flags, 'version')) {
      process.stdout.write(`skiff-runc version ${SKIFF_VERSION}\nspec: 1.3.0\n`);
      return 0;
    }
    const [name, ...rest] = g.args;
    if (!name || bool(g.flags, 'help') || name === 'help') {
      process.stdout.write(help());
      return 0;
    }
    const cmd = COMMANDS.find((c) => c.name === name);
    if (!cmd) {
      logError(global, `No help topic for '${name}'`);
      return 3;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`USAGE:\n   skiff-runc ${cmd.usage}\n\n${cmd.summary}\n`);
      return 0;
    }
    const p = parseFlags(rest, cmd.flags, cmd.stopAtPositional);
    const runtime = new Runtime(new StateStore(global.root));
    return await cmd.run(p.args, p.flags, { runtime, global, out: (s) => process.stdout.write(s) });
  } catch (e) {
    if (isEngineError(e)) {
      logError(global, e.message);
    } else if (e instanceof Error && (e as { usage?: boolean }).usage) {
      logError(global, e.message);
    } else {
      logError(global, e instanceof Error ? e.message : String(e));
      if (global.debug && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    }
    return 1;
  }
}
