/** `skiff-runc spec`: write runc's default config.json into the bundle; `features`: what we support. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { failedPrecondition } from '../../../common/errors.js';
import { defaultSpec } from '../../../oci/default-spec.js';
import { runtimeFeatures } from '../../../oci/features.js';
import { bool, str } from '../flags.js';
import type { Command } from '../command.js';

export const spec: Command = {
  name: 'spec',
  usage: 'spec [command options]',
  summary: 'create a new specification file',
  flags: [
    { name: 'bundle', alias: 'b', kind: 'string' },
    { name: 'rootless', kind: 'bool' },
  ],
  async run(_args, f) {
    const path = join(str(f, 'bundle') ?? process.cwd(), 'config.json');
    if (existsSync(path)) throw failedPrecondition('File config.json exists. Remove it first');
    writeFileSync(path, JSON.stringify(defaultSpec({ rootless: bool(f, 'rootless') }), null, '\t') + '\n', { flag: 'wx' });
    return 0;
  },
};

export const features: Command = {
  name: 'features',
  usage: 'features',
  summary: 'show the enabled features',
  flags: [],
  async run(_args, _f, ctx) {
    ctx.out(JSON.stringify(runtimeFeatures(), null, '    ') + '\n');
    return 0;
  },
};
