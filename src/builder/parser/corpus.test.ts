/**
 * BuildKit's parser corpus: every testfiles/<name>/Dockerfile must dump to its `result`, every
 * testfiles-negative/<name>/Dockerfile must be rejected, and testfile-line/Dockerfile must carry
 * the line numbers BuildKit's parser_test.go expects. One test per file, so failures are named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { corpusDir } from '../shell/corpus-location.js';
import { dumpNode } from './node.js';
import { parseDockerfile } from './parser.js';

let root: string | undefined;
try {
  root = path.join(corpusDir(), 'parser');
} catch (e) {
  test('dockerfile parser corpus', () => {
    throw e;
  });
}

function cases(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

if (root) {
  const positive = path.join(root, 'testfiles');
  const names = cases(positive);
  test('corpus has positive cases', () => assert.ok(names.length >= 30, `only ${names.length} cases`));
  for (const name of names) {
    test(`testfiles/${name}`, () => {
      const dockerfile = readFileSync(path.join(positive, name, 'Dockerfile'), 'utf8');
      const expected = readFileSync(path.join(positive, name, 'result'), 'utf8');
      assert.equal(dumpNode(parseDockerfile(dockerfile).ast) + '\n', expected);
    });
  }

  const negative = path.join(root, 'testfiles-negative');
  const negativeNames = cases(negative);
  test('corpus has negative cases', () => assert.ok(negativeNames.length >= 4));
  for (const name of negativeNames) {
    test(`testfiles-negative/${name}`, () => {
      const dockerfile = readFileSync(path.join(negative, name, 'Dockerfile'), 'utf8');
      assert.throws(() => parseDockerfile(dockerfile), (e: Error & { kind?: string }) => e.kind === 'invalid-argument');
    });
  }

  test('testfile-line/Dockerfile', () => {
    const { ast } = parseDockerfile(readFileSync(path.join(root!, 'testfile-line', 'Dockerfile'), 'utf8'));
    assert.equal(ast.startLine, 5);
    assert.equal(ast.endLine, 31);
    assert.deepEqual(ast.children.map((c) => [c.startLine, c.endLine]), [[5, 5], [11, 12], [17, 31]]);
  });
}
