/**
 * BuildKit's own expansion cases (shell/envVarTest and shell/wordsTest), one test per line so a
 * failure names its case. The files' formats are BuildKit's: envVarTest lines are
 * `platform|input|expected` (A = all, U = Unix, W = Windows; we are Unix), wordsTest lines are
 * `input | word,word` with `ENV k=v` lines that add to the environment of the lines after them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { corpusDir } from './corpus-location.js';
import { envFromList } from './env.js';
import { ShellLex } from './lex.js';

function corpusLines(name: string): string[] {
  let dir: string;
  try {
    dir = corpusDir();
  } catch (e) {
    test(`shell corpus ${name}`, () => {
      throw e;
    });
    return [];
  }
  return readFileSync(path.join(dir, 'shell', name), 'utf8').split('\n');
}

function envVarCases(): void {
  const env = envFromList(['PWD=/home', 'SHELL=bash', 'KOREAN=한국어', 'NULL=']);
  const lines = corpusLines('envVarTest');
  let count = 0;
  lines.forEach((raw, i) => {
    if (raw.startsWith('#')) return;
    const line = raw.trim();
    if (line === '') return;
    const parts = line.split('|');
    const [platform, source, expected] = parts.map((p) => p.trim()) as [string, string, string];
    // Windows-only cases (variable names are case-insensitive there) do not apply to us.
    if (platform === 'W') return;
    test(`envVarTest:${i + 1} ${platform}|${source}`, () => {
      assert.equal(parts.length, 3, 'a case has exactly three fields');
      assert.ok(['A', 'U'].includes(platform), `invalid platform tag ${platform}`);
      const lex = new ShellLex('\\');
      if (expected === 'error') {
        assert.throws(() => lex.processWord(source, env));
      } else {
        assert.equal(lex.processWord(source, env), expected);
      }
    });
    count++;
  });
  if (lines.length > 0) test('envVarTest has cases', () => assert.ok(count > 100, `only ${count} cases`));
}

function wordsCases(): void {
  const envs: string[] = [];
  const lines = corpusLines('wordsTest');
  lines.forEach((line, i) => {
    if (line.startsWith('#') || (line === '' && i === lines.length - 1)) return;
    if (line.startsWith('ENV ')) {
      envs.push(line.slice(3).replace(/^ +/, ''));
      return;
    }
    const env = envFromList(envs);
    test(`wordsTest:${i + 1} ${line}`, () => {
      const parts = line.split('|');
      assert.equal(parts.length, 2, 'a case has exactly one |');
      const input = parts[0]!.trim();
      const expected = parts[1]!.replace(/^ +/, '').split(',');
      let words: string[];
      try {
        words = new ShellLex('\\').processWords(input, env);
      } catch {
        words = ['error'];
      }
      assert.deepEqual(words, expected);
    });
  });
}

envVarCases();
wordsCases();
