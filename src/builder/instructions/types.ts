/**
 * Typed Dockerfile instructions (BuildKit `instructions/commands.go`), the input of the build
 * graph. Values are as written: variables are expanded when a stage is dispatched, because ARG
 * and ENV scopes are only known then. Durations are nanoseconds, as in the Engine API.
 */

export interface Location {
  startLine: number;
  endLine: number;
}

interface Base {
  /** The instruction keyword as written (`run`, `RUN`). */
  name: string;
  /** The instruction's source text (the joined logical line). */
  code: string;
  location: Location;
  /** Comment lines directly above the instruction. */
  comments: string[];
}

export interface KeyValuePair {
  key: string;
  value: string;
  /** Legacy `ENV k v` form (no `=`). */
  noDelim: boolean;
}

export interface ArgDefinition {
  key: string;
  /** The default, when written as `ARG k=v`. */
  value?: string;
  /** `# k does this` above the ARG. */
  docComment: string;
}

/** A heredoc source of COPY/ADD: its content becomes a file named after the delimiter. */
export interface SourceContent {
  path: string;
  data: string;
  expand: boolean;
}

/** A heredoc of RUN/CMD/ENTRYPOINT. */
export interface ShellInlineFile {
  name: string;
  data: string;
  chomp: boolean;
}

export interface CommandLine {
  /** Exec form: the argv; shell form: one string. */
  cmdLine: string[];
  files: ShellInlineFile[];
  /** True for shell form: the stage's SHELL is put in front. */
  prependShell: boolean;
}

export interface SourcesAndDest {
  sourcePaths: string[];
  sourceContents: SourceContent[];
  destPath: string;
}

export interface HealthConfig {
  /** `["NONE"]`, `["CMD", …argv]` or `["CMD-SHELL", command]`. */
  test: string[];
  interval: number;
  timeout: number;
  startPeriod: number;
  startInterval: number;
  retries: number;
}

export type RunNetwork = 'default' | 'none' | 'host';
export type RunSecurity = 'sandbox' | 'insecure';

export type Command =
  | (Base & { kind: 'env'; env: KeyValuePair[] })
  | (Base & { kind: 'label'; labels: KeyValuePair[] })
  | (Base & { kind: 'maintainer'; maintainer: string })
  | (Base & SourcesAndDest & {
    kind: 'add';
    chown: string;
    chmod: string;
    link: boolean;
    keepGitDir?: boolean;
    checksum: string;
    unpack?: boolean;
    excludePatterns: string[];
  })
  | (Base & SourcesAndDest & {
    kind: 'copy';
    from: string;
    chown: string;
    chmod: string;
    link: boolean;
    parents: boolean;
    excludePatterns: string[];
  })
  | (Base & { kind: 'onbuild'; expression: string })
  | (Base & { kind: 'workdir'; path: string })
  | (Base & CommandLine & {
    kind: 'run';
    /** Raw `--mount` values; read them with `parseMount` once variables are known. */
    mounts: string[];
    network: RunNetwork;
    security: RunSecurity;
    /** Raw `--device` values. */
    devices: string[];
    flagsUsed: string[];
  })
  | (Base & CommandLine & { kind: 'cmd' })
  | (Base & CommandLine & { kind: 'entrypoint' })
  | (Base & { kind: 'healthcheck'; health: HealthConfig })
  | (Base & { kind: 'expose'; ports: string[] })
  | (Base & { kind: 'user'; user: string })
  | (Base & { kind: 'volume'; volumes: string[] })
  | (Base & { kind: 'stopsignal'; signal: string })
  | (Base & { kind: 'arg'; args: ArgDefinition[] })
  | (Base & { kind: 'shell'; shell: string[] });

export type CommandKind = Command['kind'];

/** A FROM and the instructions up to the next FROM. */
export interface Stage {
  kind: 'from';
  /** Lower-cased `AS` name, or ''. */
  name: string;
  /** The image (or earlier stage) this stage starts from, unexpanded. */
  baseName: string;
  /** `--platform` value, unexpanded, or ''. */
  platform: string;
  origCmd: string;
  sourceCode: string;
  location: Location;
  comments: string[];
  docComment: string;
  commands: Command[];
}

export type Instruction = Command | Stage;
