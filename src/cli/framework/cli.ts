/**
 * What a running command sees: output writers, the global options, the config file and a
 * lazily created client (commands that never reach the daemon never pay for it).
 */
import type { Client, ConfigFile, Resolved } from '../../client/index.js';
import { ApiError, configDir, connect, ConnectError, loadConfig, resolveEndpoint } from '../../client/index.js';
import { StatusError } from './command.js';

export interface GlobalOptions {
  host: string[];
  context?: string;
  debug: boolean;
  logLevel?: string;
  tls: boolean;
  tlsverify?: boolean;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
  config?: string;
}

export class Cli {
  private cfg: ConfigFile | undefined;
  private resolvedEp: Resolved | undefined;
  private apiClient: Client | undefined;
  readonly configDir: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(readonly globals: GlobalOptions, env: NodeJS.ProcessEnv = process.env) {
    this.env = env;
    this.configDir = configDir(globals.config, env);
  }

  out(s: string): void {
    process.stdout.write(s);
  }

  err(s: string): void {
    process.stderr.write(s);
  }

  get config(): ConfigFile {
    this.cfg ??= loadConfig(this.configDir);
    return this.cfg;
  }

  get endpoint(): Resolved {
    this.resolvedEp ??= resolveEndpoint(this.globals, this.config, this.configDir, this.env);
    return this.resolvedEp;
  }

  get client(): Client {
    this.apiClient ??= connect(this.endpoint, this.env);
    return this.apiClient;
  }

  /**
   * Resolves the endpoint (context, host, TLS files) before the command runs, as docker's CLI
   * initialisation does: a bad host or a missing certificate fails every command the same way.
   */
  initialize(): void {
    try {
      void this.client;
    } catch (e) {
      const msg = (e as Error).message;
      // docker reaches an ssh URL's checks after the endpoint is resolved, and words them so.
      const stage = msg.startsWith('ssh host connection is not valid') ? '' : 'unable to resolve docker endpoint: ';
      throw new StatusError(1, `Failed to initialize: ${stage}${msg}`, { cause: e });
    }
  }

  /** docker prefixes daemon answers with "Error response from daemon: ". */
  errorText(e: unknown): string {
    if (e instanceof ApiError) return `Error response from daemon: ${e.message}`;
    if (e instanceof ConnectError || e instanceof StatusError) return e.message;
    return e instanceof Error ? e.message : String(e);
  }

  close(): void {
    this.apiClient?.close();
  }
}
