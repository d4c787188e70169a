/** `--init` in the spec: moby's WithInit (mount and argv), the daemon default, the opt-out. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildContainerSpec, type ContainerSpecInput } from './index.js';

function spec(init: boolean | undefined, daemonDefault: boolean, binary = '/opt/tini') {
  const rootfs = mkdtempSync(join(tmpdir(), 'spec-init-'));
  try {
    const input: ContainerSpecInput = {
      id: 'c'.repeat(64), rootfs, mounts: [], namespaces: {}, cgroupsPath: '/skiff/c', cgroupVersion: 2,
      config: { Entrypoint: ['/bin/sh', '-c'], Cmd: ['exit 3'] },
      hostConfig: init === undefined ? {} : { Init: init },
      init: { default: daemonDefault, binary },
    };
    return buildContainerSpec(input);
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
}

test('--init: docker-init bind-mounted read-only, the command after --', () => {
  const s = spec(true, false);
  assert.deepEqual(s.process!.args, ['/sbin/docker-init', '--', '/bin/sh', '-c', 'exit 3']);
  assert.deepEqual(s.mounts!.find((m) => m.destination === '/sbin/docker-init'), { destination: '/sbin/docker-init', type: 'bind', source: '/opt/tini', options: ['bind', 'ro'] });
});

test('the daemon default applies only when the container does not say', () => {
  assert.equal(spec(undefined, true).process!.args![0], '/sbin/docker-init');
  assert.equal(spec(false, true).process!.args![0], '/bin/sh');
  assert.equal(spec(undefined, false).process!.args![0], '/bin/sh');
  assert.ok(!spec(undefined, false).mounts!.some((m) => m.destination === '/sbin/docker-init'));
});
