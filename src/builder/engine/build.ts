/**
 * The legacy (classic) build: the Dockerfile's stages are dispatched one instruction at a time,
 * each instruction a numbered step whose result is an image, with Docker's progress lines on
 * the JSON stream. Only the target stage and the stages it depends on (FROM or COPY --from)
 * are built, and stages that do not depend on each other are built at the same time; their
 * output is held back and streamed in Dockerfile order, so the stream reads exactly as a
 * sequential build's (and stops at a failing stage as one would). Intermediate containers follow
 * Docker's rm/forcerm rules: after a successful step they go when `rm` is set; after a failure
 * only with `forcerm`.
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

/**
 * Output of stages built concurrently, in stage order: the stage whose turn it is writes through,
 * the others are held until every stage before them finished. After a failed stage nothing of
 * later stages is shown, as a sequential build would never have started them.
 */
class OrderedOutput {
  private current = 0;
  private readonly held: string[][];
  private readonly finished: boolean[];
  private cut = Infinity;

  constructor(private readonly n: number, private readonly sink: (text: string) => void) {
    this.held = Array.from({ length: n }, () => []);
    this.finished = new Array<boolean>(n).fill(false);
  }

  write(k: number, text: string): void {
    if (k >= this.cut) return;
    if (k === this.current) this.sink(text);
    else this.held[k]!.push(text);
  }

  done(k: number, failed: boolean): void {
    this.finished[k] = true;
    if (failed) this.cut = Math.min(this.cut, k + 1);
    while (this.current < this.n && this.finished[this.current]) {
      this.current++;
      if (this.current >= this.n || this.current >= this.cut) continue;
      for (const t of this.held[this.current]!.splice(0)) this.sink(t);
    }
  }
}

export class LegacyBuild {
  private readonly env: BuildEnv;
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
      let step = 0;
      for (const m of metaArgs) {
        this.stepLine(env, ++step, m.code);
        for (const a of m.args) args.addMeta(a.key, a.value === undefined ? undefined : env.lex.processWord(a.value, args.metaEnv()));
      }
      const state = await this.buildStages(stages, order, args, step);
      if (labelKeys.length) {
        // `--label` is one more LABEL step at the end, written as Docker writes it.
        this.stepLine(env, this.total, `LABEL ${labelKeys.map((k) => `${goQuote(k)}='${this.opts.labels[k]}'`).join(' ')}`);
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

  private stepLine(env: BuildEnv, step: number, text: string): void {
    env.print(`Step ${step}/${this.total} : ${text}\n`);
  }

  /**
   * Builds the needed stages, each as soon as the stages it names are built; resolves with the
   * last (the target). The first failure in stage order is the build's error, once every
   * started stage has ended (their containers must be known before the rm/forcerm cleanup).
   */
  private async buildStages(stages: readonly Stage[], order: number[], args: BuildArgs, firstStep: number): Promise<StageState> {
    const env = this.env;
    const output = new OrderedOutput(order.length, env.print);
    const built = new Map<number, Promise<StageState>>();
    let step = firstStep;
    order.forEach((i, k) => {
      const stageEnv: BuildEnv = { ...env, print: (text) => output.write(k, text) };
      const deps = stageDeps(stages, order, i, env.lex, args);
      const first = step + 1;
      step += 1 + stages[i]!.commands.length;
      built.set(i, (async () => {
        let failed = true;
        try {
          await Promise.all(deps.map((j) => built.get(j)!));
          const st = await this.buildStage(stageEnv, stages[i]!, i, args.forStage(), first);
          env.stageImages.set(i, st.imageId);
          failed = false;
          return st;
        } finally {
          output.done(k, failed);
        }
      })());
    });
    const results = await Promise.allSettled(order.map((i) => built.get(i)!));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    return (results[results.length - 1] as PromiseFulfilledResult<StageState>).value;
  }

  private async buildStage(env: BuildEnv, stage: Stage, index: number, args: BuildArgs, firstStep: number): Promise<StageState> {
    let step = firstStep;
    this.stepLine(env, step++, stage.sourceCode);
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
      this.stepLine(env, step++, cmd.code);
      await dispatch(env, state, cmd);
      if (state.imageId) env.print(` ---> ${short(state.imageId)}\n`);
    }
    return state;
  }
}

/**
 * The earlier needed stages stage `i` names (FROM, COPY --from, RUN --mount from=), with the
 * FROM name expanded by the meta ARGs as the build will expand it. A name still holding a `$`
 * after that may resolve to any stage: then it waits for every earlier one.
 */
function stageDeps(stages: readonly Stage[], order: number[], i: number, lex: ShellLex, args: BuildArgs): number[] {
  const stage = stages[i]!;
  const refs = [stage.baseName, lex.processWord(stage.baseName, args.metaEnv()),
    ...stage.commands.flatMap((c) => (c.kind === 'copy' && c.from ? [c.from] : c.kind === 'run' ? mountSources(c) : []))];
  const earlier = order.filter((j) => j < i);
  if (refs.some((r) => r.includes('$'))) return earlier;
  return earlier.filter((j) => refs.some((r) => findStage(stages.slice(0, i), r) === j));
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
