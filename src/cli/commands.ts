/**
 * The command tree, as lazy loaders: only the module of the invoked command is imported, which
 * keeps `skiff version` from paying for `run`'s option parsing or the image code.
 */
import type { Command } from './framework/command.js';

export type Loader = () => Promise<{ default: Command }>;

const c = {
  create: () => import('./container/create.js'),
  exec: () => import('./container/exec.js'),
  inspect: () => import('./container/inspect.js'),
  kill: () => import('./container/kill.js'),
  logs: () => import('./container/logs.js'),
  ls: () => import('./container/ps.js'),
  pause: () => import('./container/pause.js'),
  port: () => import('./container/port.js'),
  prune: () => import('./container/prune.js'),
  rename: () => import('./container/rename.js'),
  restart: () => import('./container/restart.js'),
  rm: () => import('./container/rm.js'),
  run: () => import('./container/run.js'),
  start: () => import('./container/start.js'),
  stop: () => import('./container/stop.js'),
  top: () => import('./container/top.js'),
  unpause: () => import('./container/unpause.js'),
  wait: () => import('./container/wait.js'),
  stats: () => import('./container/stats.js'),
  attach: () => import('./container/attach.js'),
  commit: () => import('./container/commit.js'),
  cp: () => import('./container/cp.js'),
  diff: () => import('./container/diff.js'),
  export: () => import('./container/export.js'),
  update: () => import('./container/update.js'),
} satisfies Record<string, Loader | undefined>;

const img = {
  inspect: () => import('./image/inspect.js'),
  ls: () => import('./image/images.js'),
  pull: () => import('./image/pull.js'),
  rm: () => import('./image/rmi.js'),
  tag: () => import('./image/tag.js'),
  history: () => import('./image/history.js'),
  prune: () => import('./image/prune.js'),
  push: () => import('./image/push.js'),
  save: () => import('./image/save.js'),
  load: () => import('./image/load.js'),
  import: () => import('./image/import.js'),
  build: () => import('./image/build.js'),
} satisfies Record<string, Loader>;

export interface Group {
  short: string;
  subs: Record<string, Loader>;
  aliases?: Record<string, string>;
}

const defined = (o: Record<string, Loader | undefined>): Record<string, Loader> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, Loader] => e[1] !== undefined));

export const GROUPS: Record<string, Group> = {
  container: { short: 'Manage containers', subs: defined(c), aliases: { ps: 'ls', list: 'ls', remove: 'rm' } },
  image: { short: 'Manage images', subs: img, aliases: { list: 'ls', remove: 'rm', rmi: 'rm' } },
  system: {
    short: 'Manage Docker',
    subs: { info: () => import('./system/info.js'), events: () => import('./system/events.js'), df: () => import('./system/df.js'),
      prune: () => import('./system/prune.js'),
      'dial-stdio': () => import('./system/dial-stdio.js') },
  },
  volume: {
    short: 'Manage volumes',
    subs: {
      create: () => import('./volume/create.js'), ls: () => import('./volume/ls.js'),
      inspect: () => import('./volume/inspect.js'), rm: () => import('./volume/rm.js'), prune: () => import('./volume/prune.js'),
      update: () => import('./volume/update.js'),
    },
    aliases: { list: 'ls', remove: 'rm' },
  },
  network: {
    short: 'Manage networks',
    subs: {
      create: () => import('./network/create.js'), ls: () => import('./network/ls.js'), inspect: () => import('./network/inspect.js'),
      rm: () => import('./network/rm.js'), connect: () => import('./network/connect.js'),
      disconnect: () => import('./network/disconnect.js'), prune: () => import('./network/prune.js'),
    },
    aliases: { list: 'ls', remove: 'rm' },
  },
  builder: {
    short: 'Manage builds',
    subs: { build: img.build, prune: () => import('./image/builder-prune.js') },
  },
  context: {
    short: 'Manage contexts',
    subs: {
      ls: () => import('./context/ls.js'), use: () => import('./context/use.js'), show: () => import('./context/show.js'),
      create: () => import('./context/create.js'), rm: () => import('./context/rm.js'), inspect: () => import('./context/inspect.js'),
      export: () => import('./context/export.js'), import: () => import('./context/import.js'), update: () => import('./context/update.js'),
    },
    aliases: { list: 'ls', remove: 'rm' },
  },
};

/** Top-level commands: docker's shortcuts into the groups, plus version/info. */
export const TOP: Record<string, Loader> = {
  version: () => import('./system/version.js'),
  info: () => import('./system/info.js'),
  events: GROUPS['system']!.subs['events']!,
  ps: c.ls, run: c.run, create: c.create, start: c.start, stop: c.stop, restart: c.restart, kill: c.kill,
  rm: c.rm, logs: c.logs, exec: c.exec, inspect: () => import('./system/inspect.js'), wait: c.wait, pause: c.pause,
  unpause: c.unpause, top: c.top, stats: c.stats, rename: c.rename, port: c.port,
  images: img.ls, pull: img.pull, push: img.push, save: img.save, load: img.load, import: img.import,
  login: () => import('./registry/login.js'), logout: () => import('./registry/logout.js'), tag: img.tag, rmi: img.rm, history: img.history,
  attach: c.attach, commit: c.commit, cp: c.cp, diff: c.diff, export: c.export, update: c.update, build: img.build,
};
