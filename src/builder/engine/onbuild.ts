/**
 * ONBUILD triggers: instructions an image stored for the builds that use it as a base. They run
 * right after FROM, before the stage's own instructions, and are then cleared from the config
 * so they do not fire again for images built on the result.
 */
import { invalidArgument } from '../../common/errors.js';
import { parseInstruction, type Command } from '../instructions/index.js';
import { parseDockerfile } from '../parser/index.js';
import type { BuildEnv, StageState } from './step.js';

const FORBIDDEN = new Set(['onbuild', 'from', 'maintainer']);

export async function runOnBuildTriggers(
  env: BuildEnv, state: StageState, dispatch: (state: StageState, cmd: Command) => Promise<void>,
): Promise<void> {
  const triggers = state.config.OnBuild ?? [];
  state.config.OnBuild = null;
  if (triggers.length === 0) return;
  env.print(`# Executing ${triggers.length} build trigger${triggers.length === 1 ? '' : 's'}\n`);
  for (const text of triggers) {
    const ast = parseDockerfile(text).ast;
    for (const node of ast.children) {
      if (FORBIDDEN.has(node.value.toLowerCase())) {
        throw invalidArgument(`${node.value.toUpperCase()} isn't allowed as an ONBUILD trigger`);
      }
      const cmd = parseInstruction(node);
      if (cmd.kind === 'from') throw invalidArgument("FROM isn't allowed as an ONBUILD trigger");
      await dispatch(state, cmd);
    }
  }
}
