import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TabFlags, TabWriter, displayWidth } from './tabwriter.js';

/** Writes `src` whole, byte by byte and in uneven chunks: Go's tabwriter gives the same result. */
function tw(src: string, minwidth = 10, tabwidth = 1, padding = 3, padchar = ' ', flags = 0): string {
  const results = [[src], [...src], src.match(/.{1,3}/gs) ?? []].map((chunks) => {
    const w = new TabWriter(minwidth, tabwidth, padding, padchar, flags);
    for (const c of chunks) w.write(c);
    return w.flush();
  });
  assert.equal(results[1], results[0]);
  assert.equal(results[2], results[0]);
  return results[0]!;
}

test('docker settings: columns at least 10 wide, widest cell plus 3', () => {
  assert.equal(tw('ID\tNAME\n1\tfoo\n'), 'ID        NAME\n1         foo\n');
  assert.equal(tw('CONTAINER ID\tIMAGE\nabc\tx\n'), 'CONTAINER ID   IMAGE\nabc            x\n');
});

test('the text after the last tab is not part of a column and is not padded', () => {
  assert.equal(tw('a\tb\nccc\tdddddddddddddddd\n'), 'a         b\nccc       dddddddddddddddd\n');
  assert.equal(tw('a\tb'), 'a         b');
});

test('tab-terminated trailing cells are padded', () => {
  assert.equal(tw('a\tb\t\n'), 'a         b         \n');
});

test('empty cells are padded to the column width', () => {
  assert.equal(tw('\tb\nxx\tc\n'), '          b\nxx        c\n');
  assert.equal(tw('a\t\tc\nb\t\td\n'), 'a                   c\nb                   d\n');
});

test('a line without tabs ends the column block above it', () => {
  assert.equal(
    tw('a\tb\nlong line without tabs\nlonger-than-ten\tc\n'),
    'a         b\nlong line without tabs\nlonger-than-ten   c\n',
  );
});

test('columns are blocks of adjacent lines: a short line splits a column', () => {
  // Column 1 exists only on lines 1 and 3 (line 2 has a single tab-terminated cell), so each
  // of those lines forms its own block for column 1.
  assert.equal(
    tw('a\tbbbbbbbbbbbbbb\tc\nx\ty\nd\te\tf\n'),
    'a         bbbbbbbbbbbbbb   c\nx         y\nd         e         f\n',
  );
});

test('a docker container table', () => {
  const src = 'CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES\n'
    + 'containerID1\tubuntu\t""\t24 hours ago\t\t\tfoobar_baz\n'
    + 'containerID2\tubuntu\t""\t24 hours ago\t\t\tfoobar_bar\n';
  assert.equal(tw(src),
    'CONTAINER ID   IMAGE     COMMAND   CREATED        STATUS    PORTS     NAMES\n'
    + 'containerID1   ubuntu    ""        24 hours ago                       foobar_baz\n'
    + 'containerID2   ubuntu    ""        24 hours ago                       foobar_bar\n');
});

test('wide characters count as two columns', () => {
  assert.equal(displayWidth('日本'), 4);
  assert.equal(displayWidth('e\u0301'), 1);
  // The column is 14 + 3 = 17 columns wide; "ab" takes 2 of them.
  assert.equal(tw('日本語のなまえ\tx\nab\ty\n'), `日本語のなまえ   x\nab${' '.repeat(15)}y\n`);
});

test('other parameters: padchar, minwidth 0, AlignRight, Debug, DiscardEmptyColumns', () => {
  assert.equal(tw('a\tbb\tccc\n', 0, 8, 1, '.'), 'a.bb.ccc\n');
  assert.equal(tw('a\tbb\t\nccc\td\t\n', 5, 0, 1, ' ', TabFlags.AlignRight), '    a   bb\n  ccc    d\n');
  assert.equal(tw('a\tb\tc\n', 0, 0, 1, '.', TabFlags.Debug), 'a.|b.|c\n');
  assert.equal(tw('a\v\vb\nc\v\vd\n', 0, 0, 1, '.', TabFlags.DiscardEmptyColumns), 'a.b\nc.d\n');
  assert.equal(tw('a\v\vb\n', 0, 0, 1, '.', 0), 'a..b\n');
});

test('tab padding rounds cells up to tab stops', () => {
  assert.equal(tw('a\tb\nccccccccc\td\n', 0, 8, 1, '\t'), 'a\t\tb\nccccccccc\td\n');
});

test('a form feed ends all columns', () => {
  assert.equal(tw('aaaaaaaaaaaaaaa\tb\n\fc\td\n'), 'aaaaaaaaaaaaaaa   b\n\nc         d\n');
});

test('flush returns nothing twice; the writer is reusable', () => {
  const w = new TabWriter(10, 1, 3, ' ', 0);
  w.write('a\tb\n');
  assert.equal(w.flush(), 'a         b\n');
  assert.equal(w.flush(), '');
  w.write('cc\td\n');
  assert.equal(w.flush(), 'cc        d\n');
});
