import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeString } from './nodes.js';
import { parseTrees, TemplateParseError } from './parser.js';

const FUNCS = new Set(['printf', 'len', 'index', 'eq', 'and', 'or', 'not', 'print', 'json', 'upper']);
const has = (n: string): boolean => FUNCS.has(n);

function roundTrip(text: string): string {
  return nodeString(parseTrees('', text, has).get('')!.root);
}

function parseError(text: string): string {
  try {
    parseTrees('', text, has);
  } catch (e) {
    assert.ok(e instanceof TemplateParseError);
    return e.message;
  }
  throw new Error(`no error for ${text}`);
}

test('templates print back as Go prints parse trees', () => {
  const cases: Array<[string, string]> = [
    ['{{.ID}}', '{{.ID}}'],
    ['{{ .A.B }}', '{{.A.B}}'],
    ['{{$x := .ID}}{{$x}}', '{{$x := .ID}}{{$x}}'],
    ['{{range $k, $v := .L}}{{$k}}{{end}}', '{{range $k, $v := .L}}{{$k}}{{end}}'],
    ['{{.A | printf "%s"}}', '{{.A | printf "%s"}}'],
    ['{{printf "%d" (len .A)}}', '{{printf "%d" (len .A)}}'],
    ['{{(index .M 0).Source}}', '{{(index .M 0).Source}}'],
    ['{{if .A}}a{{else if .B}}b{{else}}c{{end}}', '{{if .A}}a{{else}}{{if .B}}b{{else}}c{{end}}{{end}}'],
    ['{{with .A}}{{.}}{{end}}', '{{with .A}}{{.}}{{end}}'],
    ['{{template "x" .}}', '{{template "x" .}}'],
    ["{{'a'}} {{0x1F}} {{`raw`}} {{nil | print}}", "{{'a'}} {{0x1F}} {{`raw`}} {{nil | print}}"],
    ['{{range .}}{{break}}{{continue}}{{end}}', '{{range .}}{{break}}{{continue}}{{end}}'],
  ];
  for (const [input, want] of cases) assert.equal(roundTrip(input), want, input);
});

test('define and block add named templates', () => {
  const trees = parseTrees('', '{{define "a"}}A{{end}}{{block "b" .}}B{{end}}', has);
  assert.deepEqual([...trees.keys()].sort(), ['', 'a', 'b']);
  assert.equal(nodeString(trees.get('a')!.root), 'A');
  assert.equal(nodeString(trees.get('')!.root), '{{template "b" .}}');
});

test('an empty redefinition keeps the first; a second body is an error', () => {
  const trees = parseTrees('', '{{define "a"}}A{{end}}{{define "a"}} {{end}}', has);
  assert.equal(nodeString(trees.get('a')!.root), 'A');
  assert.equal(
    parseError('{{define "a"}}A{{end}}{{define "a"}}B{{end}}'),
    'template: :1: template: multiple definition of template "a"',
  );
});

test('parse errors use Go wording', () => {
  const cases: Array<[string, string]> = [
    ['{{.ID', 'template: :1: unclosed action'],
    ['{{foo}}', 'template: :1: function "foo" not defined'],
    ['{{end}}', 'template: :1: unexpected {{end}}'],
    ['{{else}}', 'template: :1: unexpected {{else}}'],
    ['{{if .A}}x', 'template: :1: unexpected EOF'],
    ['{{range .A}}{{else}}{{else}}{{end}}', 'template: :1: expected end; found {{else}}'],
    ['{{break}}', 'template: :1: {{break}} outside {{range}}'],
    ['{{if .A}}{{continue}}{{end}}', 'template: :1: {{continue}} outside {{range}}'],
    ['{{}}', 'template: :1: missing value for command'],
    ['{{if}}{{end}}', 'template: :1: missing value for if'],
    ['{{.A | "x"}}', 'template: :1: non executable command in pipeline stage 2'],
    ['{{$x}}', 'template: :1: undefined variable "$x"'],
    ['{{if true}}{{$x := 1}}{{end}}{{$x}}', 'template: :1: undefined variable "$x"'],
    ['{{range $a, $b, $c := .}}{{end}}', 'template: :1: too many declarations in range'],
    ['{{with $a, $b := .}}{{end}}', 'template: :1: too many declarations in with'],
    ['{{"x".A}}', 'template: :1: unexpected . after term "\\"x\\""'],
    ['{{template .A}}', 'template: :1: unexpected ".A" in template clause'],
    ['{{define "a"}}x', 'template: :1: unexpected EOF'],
    ['{{1.2.3}}', 'template: :1: unexpected ".3" in operand'],
    ['{{"\\q"}}', 'template: :1: invalid syntax'],
    ['{{99999999999999999999}}', 'template: :1: integer overflow: "99999999999999999999"'],
    ['{{.A ) }}', 'template: :1: unexpected right paren'],
    ['a\n\n{{.B', 'template: :3: unclosed action'],
    ['{{.A\n', 'template: :2: unclosed action started at :1'],
  ];
  for (const [input, want] of cases) assert.equal(parseError(input), want, input);
});

test('break and continue are plain identifiers when a function has that name', () => {
  const trees = parseTrees('', '{{break}}', (n) => n === 'break');
  assert.equal(nodeString(trees.get('')!.root), '{{break}}');
  assert.equal(trees.get('')!.root.nodes[0]!.type, 'action');
});

test('field node positions follow Go (a chain is placed at its last field)', () => {
  const root = parseTrees('', 'ab{{.A.B}}', has).get('')!.root;
  const action = root.nodes[1]!;
  assert.equal(action.type, 'action');
  if (action.type === 'action') assert.equal(action.pipe.cmds[0]!.args[0]!.pos, 6);
});
