import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSpec } from '../../oci/default-spec.js';
import { Op } from '../plan/ops.js';
import { planContainer } from './index.js';

const codes = (ops: { op: number }[]) => ops.map((o) => o.op);

function plan(mutate: (s: ReturnType<typeof defaultSpec>) => void = () => undefined) {
  const spec = defaultSpec();
  mutate(spec);
  return codes(planContainer(spec, {
    bundle: '/tmp/bundle', cgroupProcs: ['/sys/fs/cgroup/pids/x/cgroup.procs', '/sys/fs/cgroup/memory/x/cgroup.procs'],
    cgroupVersion: 1, cgroupMounts: [],
  }));
}

test('the child is released before the cgroup joins and waits for them before its process steps', () => {
  const ops = plan();
  const release = ops.indexOf(Op.RELEASE_CHILD);
  const joins = ops.map((c, i) => (c === Op.CGROUP_JOIN ? i : -1)).filter((i) => i >= 0);
  const child = ops.indexOf(Op.CHILD);
  const await_ = ops.indexOf(Op.AWAIT_PARENT);
  assert.ok(release >= 0 && joins.every((j) => j > release && j < child));
  assert.ok(await_ > ops.indexOf(Op.PIVOT_ROOT) && await_ < ops.indexOf(Op.EXEC));
  assert.equal(ops.filter((c) => c === Op.AWAIT_PARENT).length, 1);
});

test('no early release with a new user namespace or a private cgroup namespace', () => {
  const userns = plan((s) => {
    s.linux!.namespaces!.push({ type: 'user' });
    s.linux!.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
    s.linux!.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
  });
  const cgroupns = plan((s) => { s.linux!.namespaces!.push({ type: 'cgroup' }); });
  for (const ops of [userns, cgroupns]) {
    assert.ok(!ops.includes(Op.RELEASE_CHILD) && !ops.includes(Op.AWAIT_PARENT));
  }
});
