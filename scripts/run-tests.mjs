#!/usr/bin/env node
// Runs every compiled test (unit tests beside the code, integration tests under test/) with
// node's test runner. Usage: node scripts/run-tests.mjs [path-prefix ...]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir, out) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const prefixes = process.argv.slice(2);
let files = [...walk('dist/src', []), ...walk('dist/test', [])].sort();
if (prefixes.length) files = files.filter((f) => prefixes.some((p) => f.includes(p)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// bin/skiff keeps a warm pool of CLI processes (src/cli/warm/pool.ts) that outlives each
// command; tests that run bin/skiff opt in with a private pool (test/helpers/cli-pool.ts) and stop
// it, the others start cold.
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=300000', ...files], {
  stdio: 'inherit',
  env: { ...process.env, SKIFF_CLI_WARM: process.env.SKIFF_CLI_WARM ?? '0' },
});
process.exit(r.status ?? 1);
