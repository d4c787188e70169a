/** Build-argument scoping as the legacy builder applies it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildArgs } from './args.js';

test('only declared args take effect; defaults apply; ENV hides an arg', () => {
  const meta = new BuildArgs({ A: '1', B: null, UNUSED: 'x', HTTP_PROXY: 'p' });
  meta.addMeta('BASE', 'busybox');
  assert.deepEqual([...meta.metaEnv()], [['BASE', 'busybox']]);
  const stage = meta.forStage();
  stage.declare('A', 'def');
  stage.declare('B', 'bdef');
  stage.declare('BASE', undefined);
  assert.deepEqual([...stage.allowed([])], [['A', '1'], ['B', 'bdef'], ['BASE', 'busybox'], ['HTTP_PROXY', 'p']]);
  assert.deepEqual([...stage.allowed(['A=env'])].map(([k]) => k), ['B', 'BASE', 'HTTP_PROXY']);
  assert.deepEqual(stage.historyPairs([]), ['A=1', 'B=bdef', 'BASE=busybox']);
  assert.deepEqual(stage.unused(), ['UNUSED']);
});

test('a new stage starts without the previous stage\'s args', () => {
  const root = new BuildArgs({ A: '1' });
  const s1 = root.forStage();
  s1.declare('A', undefined);
  const s2 = root.forStage();
  assert.deepEqual([...s2.allowed([])], []);
  assert.deepEqual(root.unused(), []);
});
