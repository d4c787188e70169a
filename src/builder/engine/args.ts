/**
 * Build arguments as the legacy builder scopes them (moby `builder/dockerfile/buildargs.go`):
 * values given with `--build-arg` only take effect for names an ARG declares in the current
 * stage (or ARGs before the first FROM, for FROM lines), defaults come from the ARG itself, and
 * an ENV of the same name hides the argument. The proxy variables are predefined: usable without
 * an ARG, but kept out of the image history unless declared.
 */

export const PREDEFINED_ARGS: ReadonlySet<string> = new Set([
  'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy',
  'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy',
]);

export class BuildArgs {
  /** ARGs declared before the first FROM, with their values. */
  private meta = new Map<string, string | undefined>();
  /** ARGs declared in the current stage, with their defaults. */
  private declared = new Map<string, string | undefined>();

  constructor(
    private readonly given: Readonly<Record<string, string | null>>,
    /** Names seen by any ARG: shared by all stages for the unused-argument warning. */
    private readonly referenced: Set<string> = new Set(),
  ) {}

  /** A fresh scope for a new stage: meta args stay known, stage args start empty. */
  forStage(): BuildArgs {
    const next = new BuildArgs(this.given, this.referenced);
    next.meta = this.meta;
    return next;
  }

  private valueOf(key: string, def: string | undefined): string | undefined {
    const v = this.given[key];
    return v !== undefined && v !== null ? v : def;
  }

  addMeta(key: string, def: string | undefined): void {
    this.referenced.add(key);
    this.meta.set(key, this.valueOf(key, def));
  }

  /** `ARG key[=def]` inside a stage; a bare `ARG key` picks up the meta value. */
  declare(key: string, def: string | undefined): void {
    this.referenced.add(key);
    this.declared.set(key, def ?? this.meta.get(key));
  }

  /** Meta args with values: the environment FROM lines expand with. */
  metaEnv(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [k, v] of this.meta) if (v !== undefined) out.set(k, v);
    return out;
  }

  /** Declared args (and given predefined ones) with a value, minus those `env` sets. */
  allowed(env: readonly string[], includePredefined = true): Map<string, string> {
    const hidden = new Set(env.map((e) => e.split('=', 1)[0]!));
    const out = new Map<string, string>();
    for (const [k, def] of this.declared) {
      const v = this.valueOf(k, def);
      if (v !== undefined && !hidden.has(k)) out.set(k, v);
    }
    if (includePredefined) {
      for (const k of PREDEFINED_ARGS) {
        const v = this.given[k];
        if (v !== undefined && v !== null && !hidden.has(k) && !out.has(k)) out.set(k, v);
      }
    }
    return out;
  }

  /** `k=v` pairs, sorted, that a RUN's history line carries (`|N k=v … cmd`). */
  historyPairs(env: readonly string[]): string[] {
    const out: string[] = [];
    for (const [k, v] of this.allowed(env, false)) out.push(`${k}=${v}`);
    return out.sort();
  }

  /** Given build args no ARG ever declared (Docker warns about them). */
  unused(): string[] {
    return Object.keys(this.given).filter((k) => !this.referenced.has(k) && !PREDEFINED_ARGS.has(k)).sort();
  }
}
