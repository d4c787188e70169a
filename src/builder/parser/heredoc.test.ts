/** Heredoc extraction: markers, quoting and expansion, chomping, several per line, ONBUILD. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chompHeredocContent, heredocsFromLine, parseHeredoc } from './heredoc.js';
import type { Heredoc } from './node.js';
import { parseDockerfile } from './parser.js';

function doc(name: string, content: string, extra: Partial<Heredoc> = {}): Heredoc {
  return { name, content, fileDescriptor: 0, expand: true, chomp: false, ...extra };
}

function heredocsOf(dockerfile: string): Heredoc[][] {
  return parseDockerfile(dockerfile).ast.children.map((c) => c.heredocs);
}

test('RUN <<EOF takes the lines up to the delimiter, newlines included', () => {
  const r = parseDockerfile('FROM a\nRUN <<EOF\necho hi\n\techo there\nEOF\nRUN ls\n');
  assert.deepEqual(r.ast.children[1]!.heredocs, [doc('EOF', 'echo hi\n\techo there\n')]);
  assert.deepEqual([r.ast.children[1]!.startLine, r.ast.children[1]!.endLine], [2, 5]);
  assert.equal(r.ast.children[2]!.startLine, 6);
});

test('<<- matches an indented delimiter and keeps content for chomping later', () => {
  const [, h] = heredocsOf('FROM a\nRUN <<-EOT\n\tbaz\n\tquux\n\tEOT\n');
  assert.deepEqual(h, [doc('EOT', '\tbaz\n\tquux\n', { chomp: true })]);
  assert.equal(chompHeredocContent('\tbaz\n\t\tquux\nx\t\n'), 'baz\nquux\nx\t\n');
});

test('quoted delimiters disable expansion; escaped quotes do not', () => {
  const cases: Array<[string, string, boolean]> = [
    ["RUN <<'EOF'", 'EOF', false],
    ['RUN <<"EOF"', 'EOF', false],
    ["RUN <<eo'f'", 'eof', false],
    ["RUN <<eo\\'f", "eo'f", true],
    ["RUN <<'e'o\\'f", "eo'f", false],
    ["RUN <<'one two'", 'one two', false],
    ['RUN <<$EOF', '$EOF', true],
    ['RUN <<  EOF', 'EOF', true],
  ];
  for (const [line, name, expand] of cases) {
    const [h] = heredocsFromLine(line);
    assert.equal(h?.name, name, line);
    assert.equal(h?.expand, expand, line);
  }
});

test('several heredocs on one line are read in order', () => {
  const [, h] = heredocsOf('FROM a\nCOPY <<X <<Y /dest\nY\nX\nX\nY\n');
  assert.deepEqual(h, [doc('X', 'Y\n'), doc('Y', 'X\n')]);
});

test('COPY <<EOF /file, a file descriptor, and flags before the marker', () => {
  const r = parseDockerfile('FROM a\nCOPY <<EOF /quotes\n"foo"\nEOF\nRUN 3<<E2\nE2\nRUN --mount=type=cache,target=/x <<M\nhi\nM\n');
  const [, copy, fd, mount] = r.ast.children;
  assert.deepEqual(copy!.heredocs, [doc('EOF', '"foo"\n')]);
  assert.deepEqual(fd!.heredocs, [doc('E2', '', { fileDescriptor: 3 })]);
  assert.deepEqual(mount!.heredocs, [doc('M', 'hi\n')]);
  assert.deepEqual(mount!.flags, ['--mount=type=cache,target=/x']);
});

test('no heredocs in JSON form, in quotes, or on other instructions', () => {
  const r = parseDockerfile('FROM a\nRUN ["<<EOF"]\nRUN "<<NOHEREDOC"\nUSER <<INVALID\nINVALID\n');
  assert.deepEqual(r.ast.children.map((c) => c.heredocs.length), [0, 0, 0, 0, 0]);
  assert.equal(r.ast.children[4]!.value, 'INVALID');
});

test('ONBUILD RUN <<EOF reads the heredoc for the nested instruction', () => {
  const r = parseDockerfile('FROM a\nONBUILD RUN <<EOF\necho\nEOF\n');
  assert.deepEqual(r.ast.children[1]!.heredocs, [doc('EOF', 'echo\n')]);
});

test('an unterminated heredoc is an error naming its lines', () => {
  assert.throws(() => parseDockerfile('FROM a\nRUN <<EOF\necho\n'), {
    message: 'unterminated heredoc',
    startLine: 2,
    endLine: 3,
  });
});

test('parseHeredoc recognises markers like BuildKit', () => {
  for (const src of ['<<EOF', "<<'EOF'", '<<"EOF"', '<<-EOF', "<<-'EOF'", '<<EO"F"', '<< EOF', '<<- EOF']) {
    assert.equal(parseHeredoc(src)?.name, 'EOF', src);
  }
  for (const src of ['', 'EOF', '<<', '<<-', '<EOF', '<<<EOF', '<<EOF sh']) {
    assert.equal(parseHeredoc(src), undefined, src);
  }
  for (const src of ["<<'EOF", '<<"EOF', "<<EOF'", '<<EOF"']) {
    assert.throws(() => parseHeredoc(src), src);
  }
  assert.deepEqual(heredocsFromLine('RUN << -EOF').map((h) => h.name), ['-EOF']);
  assert.deepEqual(heredocsFromLine("RUN '<<EOF'"), []);
});
