/**
 * skiff: the docker-compatible CLI. Parses the global options, finds the command (top-level
 * shortcut or `group sub`), imports only that command's module, parses its flags and runs it,
 * mapping failures to docker's messages and exit codes (flag errors 125, others 1).
 */
import { SKIFF_VERSION } from '../common/version.js';
import { GROUPS, TOP, type Group, type Loader } from './commands.js';
import { argsError, StatusError, type Command } from './framework/command.js';
import { FlagError, flagUsages, parseFlags, type FlagDef } from './framework/flags.js';
import type { GlobalOptions } from './framework/cli.js';

const GLOBAL_FLAGS: FlagDef[] = [
  { long: 'config', kind: 'string', help: 'Location of client config files', valueName: 'string' },
  { long: 'context', short: 'c', kind: 'string', help: 'Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with "skiff context use")' },
  { long: 'debug', short: 'D', kind: 'bool', help: 'Enable debug mode' },
  { long: 'host', short: 'H', kind: 'list', help: 'Daemon socket to connect to' },
  { long: 'log-level', short: 'l', kind: 'string', help: 'Set the logging level ("debug", "info", "warn", "error", "fatal")', default: 'info' },
  { long: 'tls', kind: 'bool', help: 'Use TLS; implied by --tlsverify' },
  { long: 'tlscacert', kind: 'string', help: 'Trust certs signed only by this CA' },
  { long: 'tlscert', kind: 'string', help: 'Path to TLS certificate file' },
  { long: 'tlskey', kind: 'string', help: 'Path to TLS key file' },
  { long: 'tlsverify', kind: 'bool', help: 'Use TLS and verify the remote' },
  { long: 'version', short: 'v', kind: 'bool', help: 'Print version information and quit' },
];

/** docker's "Common Commands", in its order (those skiff has). */
const COMMON = ['run', 'exec', 'ps', 'build', 'pull', 'push', 'images', 'login', 'logout', 'version', 'info'];

/** `  name        Short description` lines, as cobra pads them; hidden commands left out. */
async function listing(entries: [string, Loader][]): Promise<string> {
  const cmds = await Promise.all(entries.map(async ([n, load]) => [n, (await load()).default] as const));
  return cmds.filter(([, c]) => !c.hidden).map(([n, c]) => `  ${n.padEnd(11)} ${c.short}`).join('\n');
}

/** The root help (it loads every command's module, for their descriptions). */
async function rootHelp(): Promise<string> {
  const common = await listing(COMMON.filter((n) => TOP[n]).map((n) => [n, TOP[n]!]));
  const groups = Object.entries(GROUPS).sort(([a], [b]) => a.localeCompare(b)).map(([n, g]) => `  ${n.padEnd(11)} ${g.short}`).join('\n');
  const rest = await listing(Object.keys(TOP).filter((n) => !COMMON.includes(n)).sort().map((n) => [n, TOP[n]!]));
  return `Usage:  skiff [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nCommon Commands:\n${common}\n\n` +
    `Management Commands:\n${groups}\n\nCommands:\n${rest}\n\nGlobal Options:\n${flagUsages(GLOBAL_FLAGS)}\n\n` +
    `Run 'skiff COMMAND --help' for more information on a command.\n`;
}

async function groupHelp(name: string, group: Group): Promise<string> {
  const subs = await listing(Object.keys(group.subs).sort().map((s) => [s, group.subs[s]!]));
  return `Usage:  skiff ${name} COMMAND\n\n${group.short}\n\nCommands:\n${subs}\n\nRun 'skiff ${name} COMMAND --help' for more information on a command.\n`;
}

/** docker's words; a management command's own usage line comes in between. */
const unknownCommand = (path: string, parent: string, usage?: string): StatusError =>
  new StatusError(1, `skiff: unknown command: ${path}\n\n${usage ? `Usage:  ${usage}\n\n` : ''}Run '${parent} --help' for more information`);

/**
 * Resolves argv to [command path, loader, remaining args], or the help to print: on stderr when
 * no command was named (`skiff`, `skiff container`), on stdout when asked for, as docker does.
 */
function lookup(args: string[]): { path: string; load: Loader; rest: string[] } | { help: () => Promise<string>; stderr: boolean } {
  const [name, ...rest] = args;
  if (name === undefined) return { help: rootHelp, stderr: true };
  const group = GROUPS[name!];
  if (group) {
    const [sub, ...subRest] = rest;
    if (sub === undefined || sub === '--help' || sub === '-h') return { help: () => groupHelp(name!, group), stderr: sub === undefined };
    const key = group.aliases?.[sub] ?? sub;
    const load = group.subs[key];
    if (!load) throw unknownCommand(`skiff ${name} ${sub}`, `skiff ${name}`, `skiff ${name}`);
    return { path: `skiff ${name} ${sub}`, load, rest: subRest };
  }
  if (name === 'help') return { help: rootHelp, stderr: false };
  const load = TOP[name!];
  if (!load) throw unknownCommand(`skiff ${name}`, 'skiff');
  return { path: `skiff ${name}`, load, rest };
}

function commandHelp(path: string, cmd: Command): string {
  const aliases = cmd.aliases?.length ? `\nAliases:\n  ${cmd.aliases.join(', ')}\n` : '';
  return `Usage:  ${[path, cmd.usage].filter(Boolean).join(' ')}\n\n${cmd.short}\n${aliases}\nOptions:\n${flagUsages(cmd.flags)}\n`;
}

function globalOptions(v: ReturnType<typeof parseFlags>['values']): GlobalOptions {
  return {
    host: v.list('host'), context: v.str('context') || undefined, debug: v.bool('debug'),
    logLevel: v.str('log-level'), tls: v.bool('tls'), tlsverify: v.has('tlsverify') ? v.bool('tlsverify') : undefined,
    tlscacert: v.str('tlscacert') || undefined, tlscert: v.str('tlscert') || undefined,
    tlskey: v.str('tlskey') || undefined, config: v.str('config') || undefined,
  };
}

/**
 * Whether this command line may need a controlling terminal, which a process of the CLI's warm
 * pool lacks: a daemon reached over ssh:// (ssh asks for passwords and host keys on /dev/tty).
 * The pool process then lets it start cold. A line that does not parse answers false: the
 * command itself reports the error.
 */
export async function needsControllingTerminal(argv: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    const globals = globalOptions(parseFlags(argv, GLOBAL_FLAGS, false).values);
    const { configDir, loadConfig, resolveEndpoint } = await import('../client/index.js');
    const dir = configDir(globals.config, env);
    return resolveEndpoint(globals, loadConfig(dir), dir, env).host.startsWith('ssh://');
  } catch {
    return false;
  }
}

/**
 * Initialises every command's module without running any: what a process of the CLI's warm pool
 * (cli/warm/worker.ts) does before it waits for a command, so none pays for it later.
 */
export async function preloadCommands(): Promise<void> {
  const loaders = new Set([...Object.values(TOP), ...Object.values(GROUPS).flatMap((g) => Object.values(g.subs))]);
  for (const load of loaders) await load();
}

export async function main(argv: string[]): Promise<number> {
  let cli: import('./framework/cli.js').Cli | undefined;
  let path = 'skiff';
  let usage = '[OPTIONS] COMMAND';
  try {
    const g = parseFlags(argv, GLOBAL_FLAGS, false);
    if (g.values.bool('version')) {
      process.stdout.write(`Skiff version ${SKIFF_VERSION}, build skiff\n`);
      return 0;
    }
    if (g.help && g.args.length === 0) {
      process.stdout.write(await rootHelp());
      return 0;
    }
    const found = lookup(g.args);
    if ('help' in found) {
      (found.stderr ? process.stderr : process.stdout).write(await found.help());
      return 0;
    }
    path = found.path;
    const [{ default: cmd }, { Cli }] = await Promise.all([found.load(), import('./framework/cli.js')]);
    usage = cmd.usage;
    const p = parseFlags(found.rest, cmd.flags, cmd.interspersed ?? true);
    if (p.help || g.help) {
      process.stdout.write(commandHelp(path, cmd));
      return 0;
    }
    const bad = argsError(path, cmd.usage, cmd.args ?? {}, p.args.length);
    if (bad) throw bad;
    cli = new Cli(globalOptions(g.values));
    // The context commands work on the store whatever the current endpoint (docker's do too).
    if (!path.startsWith('skiff context ')) cli.initialize();
    return (await cmd.run(cli, p.values, p.args)) ?? 0;
  } catch (e) {
    if (e instanceof FlagError) {
      process.stderr.write(`${e.message}\n\nUsage:  ${[path, usage].filter(Boolean).join(' ')}\n\nRun '${path} --help' for more information\n`);
      return 125;
    }
    if (e instanceof StatusError) {
      if (e.message) process.stderr.write(`${e.message}\n`);
      if (process.env['SKIFF_DEBUG_STACK'] && e.cause instanceof Error) process.stderr.write(`${e.cause.stack}\n`);
      return e.status;
    }
    const text = cli ? cli.errorText(e) : e instanceof Error ? e.message : String(e);
    process.stderr.write(`${text}\n`);
    if (process.env['SKIFF_DEBUG_STACK'] && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return 1;
  } finally {
    cli?.close();
  }
}
