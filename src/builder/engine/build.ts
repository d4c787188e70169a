/**
 * The legacy (classic) build: the Dockerfile's stages are dispatched one instruction at a time,
 * each instruction a numbered step whose result is an image, with Docker's progress lines on
 * the JSON stream. Only the target stage and the stages it depends on (FROM or COPY --from)
 * are built. Intermediate containers follow Docker's rm/forcerm rules: after a successful step
 * they go when `rm` is set; after a failure only with `forcerm`.
 */
import { invalidArgument } from '../../common/errors.js';
import type { ImageRunConfig } from '../../oci/image-spec.js';
import type { BuildContext } from '../context/index.js';
import { findStage, parseStages, type Command, type Stage } from '../instructions/index.js';
import { namingLine, parseDockerfile } from '../parser/index.js';
import { goQuote, ShellLex } from '../shell/index.js';
import { BuildArgs } from './args.js';
import type { BuildCache } from './cache.js';
import { dispatchCopy } from './dispatch-copy.js';
import { dispatchMeta } from './dispatch-meta.js';
import { checkRunFlags, dispatchRun, removeContainer } from './dispatch-run.js';
import { mountSources } from './run-mounts.js';
import { runOnBuildTriggers } from './onbuild.js';
import { commitMeta, type BuildEnv, type StageState } from './step.js';
import type { BuildBackend, BuildOptions, BuildOutput } from './types.js';

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function dispatch(env: BuildEnv, state: StageState, cmd: Command): Promise<void> {
  if (cmd.kind === 'run') return dispatchRun(env, state, cmd);
  if (cmd.kind === 'copy' || cmd.kind === 'add') return dispatchCopy(env, state, cmd);
  return dispatchMeta(env, state, cmd);
}

/** The stages the target needs, in Dockerfile order. */
function neededStages(stages: readonly Stage[], target: number): number[] {
  const need = new Set<number>([target]);
  for (let i = target; i >= 0; i--) {
    if (!need.has(i)) continue;
    const refs = [stages[i]!.baseName, ...stages[i]!.commands.flatMap((c) => (c.kind === 'copy' && c.from ? [c.from] : c.kind === 'run' ? mountSources(c) : []))];
    for (const r of refs) {
      const j = findStage(stages.slice(0, i), r);
      if (j >= 0) need.add(j);
    }
  }
  return [...need].sort((a, b) => a - b);
}

export class LegacyBuild {
  private readonly env: BuildEnv;
  private step = 0;
  private total = 0;

  constructor(backend: BuildBackend, context: BuildContext, private readonly opts: BuildOptions, private readonly out: BuildOutput, cache: BuildCache) {
    this.env = {
      backend, opts, context,
      cache,
      lex: new ShellLex(),
      print: (text) => out.write({ stream: text }),
      stageImages: new Map(),
      stageIndex: () => -1,
      containers: new Set(),
    };
  }

  /** Runs the build; resolves with the final image id (`sha256:…`). */
  async run(): Promise<string> {
    let parsed: ReturnType<typeof parseDockerfile>;
    try { parsed = parseDockerfile(this.env.context.dockerfile); } catch (e) { throw namingLine(e); }
    const { stages, metaArgs } = parseStages(parsed.ast);
    if (stages.length === 0) throw invalidArgument('No image was generated. Is your Dockerfile empty?');
    const env = this.env;
    env.lex = new ShellLex(parsed.escapeToken);
    env.stageIndex = (ref) => findStage(stages, ref);
    let target = stages.length - 1;
    if (this.opts.target) {
      target = findStage(stages, this.opts.target);
      if (target < 0) throw invalidArgument(`failed to reach build target ${this.opts.target} in Dockerfile`);
    }
    const order = neededStages(stages, target);
    for (const i of order) for (const c of stages[i]!.commands) if (c.kind === 'run') checkRunFlags(c);
    const labelKeys = Object.keys(this.opts.labels).sort();
    this.total = metaArgs.length + order.reduce((n, i) => n + 1 + stages[i]!.commands.length, 0) + (labelKeys.length ? 1 : 0);
    const args = new BuildArgs(this.opts.buildArgs);
    let ok = false;
    try {
      for (const m of metaArgs) {
        this.stepLine(m.code);
        for (const a of m.args) args.addMeta(a.key, a.value === undefined ? undefined : env.lex.processWord(a.value, args.metaEnv()));
      }
      let last: StageState | undefined;
      for (const i of order) {
        last = await this.buildStage(stages[i]!, i, args.forStage());
        env.stageImages.set(i, last.imageId);
      }
      const state = last!;
      if (labelKeys.length) {
        // `--label` is one more LABEL step at the end, written as Docker writes it.
        this.stepLine(`LABEL ${labelKeys.map((k) => `${goQuote(k)}='${this.opts.labels[k]}'`).join(' ')}`);
        state.config.Labels = { ...(state.config.Labels ?? {}), ...this.opts.labels };
        await commitMeta(env, state, `LABEL ${labelKeys.map((k) => `${k}=${this.opts.labels[k]}`).join(' ')}`);
        env.print(` ---> ${short(state.imageId!)}\n`);
      }
      if (!state.imageId) throw invalidArgument('No image was generated. Is your Dockerfile empty?');
      const unused = args.unused();
      if (unused.length) env.print(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);
      ok = true;
      return state.imageId;
    } finally {
      if (ok ? this.opts.rm : this.opts.forceRm) {
        for (const id of [...env.containers]) await removeContainer(env, id).catch(() => undefined);
      }
    }
  }

  private stepLine(text: string): void {
    this.env.print(`Step ${++this.step}/${this.total} : ${text}\n`);
  }

  private async buildStage(stage: Stage, index: number, args: BuildArgs): Promise<StageState> {
    const env = this.env;
    this.stepLine(stage.sourceCode);
    const base = env.lex.processWord(stage.baseName, args.metaEnv());
    const state: StageState = { imageId: undefined, config: {}, args, cmdSet: false };
    const earlier = findStageBefore(env, base, index);
    if (earlier !== undefined) {
      state.imageId = earlier;
    } else if (base.toLowerCase() !== 'scratch') {
      const found = this.opts.pull ? undefined : env.backend.findImage(base);
      state.imageId = (found ?? await env.backend.pullImage(base, stage.platform || this.opts.platform, this.out)).id;
    }
    if (state.imageId) {
      const img = env.backend.findImage(state.imageId)!;
      state.config = structuredClone(img.config.config ?? {}) as ImageRunConfig;
      env.print(` ---> ${short(state.imageId)}\n`);
    }
    if (!state.config.Env?.length) state.config.Env = [DEFAULT_PATH];
    await runOnBuildTriggers(env, state, (s, c) => dispatch(env, s, c));
    for (const cmd of stage.commands) {
      this.stepLine(cmd.code);
      await dispatch(env, state, cmd);
      if (state.imageId) env.print(` ---> ${short(state.imageId)}\n`);
    }
    return state;
  }
}

/** An earlier stage named by `ref` that was built: its image id. */
function findStageBefore(env: BuildEnv, ref: string, index: number): string | undefined {
  const i = env.stageIndex(ref);
  if (i < 0 || i >= index) return undefined;
  return env.stageImages.get(i);
}

export function short(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}
