/**
 * skiffd's life: start-up (directories, pidfile, engine ID, host facts, services, listeners),
 * SIGHUP reload, and shutdown (stop accepting, stop services so long streams end, let requests
 * drain, remove sockets and pidfile). Containers will outlive a shutdown under live-restore: that
 * is the containers service's business in its shutdown().
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listen, removeSocket, type Listener, type ListenOptions } from '../api/listen.js';
import { ApiServer } from '../api/server.js';
import { readHostFacts } from '../services/system/index.js';
import type { DaemonConfig } from './config.js';
import type { ParsedFlags } from './flags.js';
import { IdleCollector } from './idle-gc.js';
import { Logger, type LogLevel } from './log.js';
import { removePidfile, writePidfile } from './pidfile.js';
import { reloadConfig } from './reload.js';
import { apiRoutes, buildServices, shutdownServices, type Services, type WireContext } from './wire.js';

export function effectiveLevel(c: DaemonConfig): LogLevel {
  return c.debug ? 'debug' : (c.logLevel as LogLevel);
}

/** data-root/engine-id: a stable identity for /info's ID, created on first start. */
async function engineId(dataRoot: string): Promise<string> {
  const path = join(dataRoot, 'engine-id');
  const cur = (await readFile(path, 'utf8').catch(() => '')).trim();
  if (cur) return cur;
  const id = randomUUID();
  await writeFile(path, id + '\n', { mode: 0o600 });
  return id;
}

export class Daemon {
  private config: DaemonConfig;
  private services: Services | undefined;
  private api: ApiServer | undefined;
  private listeners: Listener[] = [];
  private readonly idle = new IdleCollector();
  private stopping: Promise<void> | undefined;
  private actor = { ID: '', Attributes: {} as Record<string, string> };

  constructor(
    config: DaemonConfig,
    private readonly flags: ParsedFlags,
    private readonly fileKeys: Set<string>,
    readonly logger: Logger = new Logger(effectiveLevel(config)),
  ) {
    this.config = config;
  }

  get current(): DaemonConfig {
    return this.config;
  }

  async start(): Promise<void> {
    const c = this.config;
    const log = this.logger;
    log.info('Starting up');
    await mkdir(c.dataRoot, { recursive: true, mode: 0o711 });
    await mkdir(c.execRoot, { recursive: true, mode: 0o700 });
    await writePidfile(c.pidfile);
    try {
      const [host, id] = await Promise.all([readHostFacts(), engineId(c.dataRoot)]);
      const ctx: WireContext = { config: () => this.config, logger: log, host, engineId: id };
      this.services = await buildServices(ctx);
      this.api = new ApiServer({
        routes: apiRoutes(this.services, ctx),
        minApiVersion: c.minApiVersion,
        experimental: c.experimental,
        logger: log,
        onRequest: () => this.idle.touch(),
      });
      const opts = this.listenOptions();
      for (const h of c.hosts) this.listeners.push(await listen(this.api, h, opts));
      this.actor = { ID: id, Attributes: { name: host.hostname } };
      this.services.events.log('daemon', 'start', this.actor);
      log.info('Daemon has completed initialization');
      for (const l of this.listeners) log.info(`API listen on ${l.socketPath ?? l.host.slice('tcp://'.length)}`);
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  private listenOptions(): ListenOptions {
    const c = this.config;
    const tls = c.tls || c.tlsverify
      ? { ca: c.tlscacert || undefined, cert: c.tlscert, key: c.tlskey, verify: c.tlsverify }
      : undefined;
    // Docker's escape hatch: --tlsverify=false said explicitly accepts a plain TCP listener.
    const explicitNoVerify = !c.tlsverify && (this.flags.set.has('tlsverify') || this.fileKeys.has('tlsverify'));
    return {
      tls,
      socketGroup: { name: c.group, explicit: this.flags.set.has('group') || this.fileKeys.has('group') },
      allowInsecureTcp: explicitNoVerify,
    };
  }

  /** SIGHUP: re-read daemon.json and apply what Docker reloads; a bad file keeps the old config. */
  async reload(): Promise<void> {
    const log = this.logger;
    log.info('Got signal to reload configuration', { 'config-file': this.flags.configFile });
    try {
      const { config, changes } = await reloadConfig(this.config, this.flags);
      this.config = config;
      log.setLevel(effectiveLevel(config));
      for (const ch of changes) log.info('Reloaded configuration option', { option: ch.key, value: ch.value });
      log.info('Reloaded configuration');
      const attrs = Object.fromEntries(changes.map((ch) => [ch.key, ch.value]));
      this.services?.events.log('daemon', 'reload', { ID: this.actor.ID, Attributes: { ...this.actor.Attributes, ...attrs } });
    } catch (e) {
      log.error('Error reloading configuration', { error: (e as Error).message });
    }
  }

  /** Idempotent; safe to call from several signals. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.idle.stop();
    const log = this.logger;
    const grace = Math.max(this.config.shutdownTimeout, 0) * 1000;
    const closing = this.api?.close(Math.min(grace, 5000));
    if (this.services) await shutdownServices(this.services, log);
    await closing;
    for (const l of this.listeners) await removeSocket(l);
    await removePidfile(this.config.pidfile);
    log.info('Daemon shutdown complete');
  }
}
