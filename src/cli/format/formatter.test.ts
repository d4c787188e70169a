import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEngineError } from '../../common/errors.js';
import { formatItems, headerContext, resolveFormat, templateString } from './formatter.js';

/** Shaped like docker's ContainerContext: methods, one of them taking an argument. */
class ContainerContext {
  static goTypeName = '*formatter.ContainerContext';
  constructor(private readonly c: { id: string; image: string; name: string; labels?: Record<string, string> }) {}
  ID(): string { return this.c.id; }
  Image(): string { return this.c.image; }
  Command(): string { return '""'; }
  RunningFor(): string { return '24 hours ago'; }
  Status(): string { return ''; }
  Ports(): string { return ''; }
  Names(): string { return this.c.name; }
  Size(): string { return '0B'; }
  State(): string { return 'running'; }
  Label(name: string): string { return this.c.labels?.[name] ?? ''; }
}

const COLUMNS = {
  ID: 'CONTAINER ID', Names: 'NAMES', Image: 'IMAGE', Command: 'COMMAND', RunningFor: 'CREATED',
  Ports: 'PORTS', State: 'STATE', Status: 'STATUS', Size: 'SIZE',
};
const DEFAULT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
const items = [
  new ContainerContext({ id: 'containerID1', image: 'ubuntu', name: 'foobar_baz', labels: { 'com.x': 'one' } }),
  new ContainerContext({ id: 'containerID2', image: 'ubuntu', name: 'foobar_bar' }),
];

function formatError(format: string): string {
  try {
    formatItems(format, items, COLUMNS);
  } catch (e) {
    assert.ok(isEngineError(e));
    assert.equal(e.kind, 'invalid-argument');
    return e.message;
  }
  throw new Error(`no error for ${format}`);
}

test('templateString pre-processes formats as docker does', () => {
  assert.equal(templateString('json'), '{{json .}}');
  assert.equal(templateString('table'), '');
  assert.equal(templateString('table {{.Field}}\\t{{.Field2}}'), '{{.Field}}\t{{.Field2}}');
  assert.equal(templateString('table {{.Field}}\t{{.Field2}}'), '{{.Field}}\t{{.Field2}}');
  assert.equal(templateString('other'), 'other');
  assert.equal(templateString('   other   '), 'other');
  assert.equal(templateString('   other\n   '), 'other\n');
  assert.equal(templateString('{{.A}}\\n'), '{{.A}}\n');
});

test('resolveFormat: empty or bare table uses the default; quiet wins', () => {
  assert.equal(resolveFormat('', COLUMNS, { defaultFormat: DEFAULT }), DEFAULT);
  assert.equal(resolveFormat('table', COLUMNS, { defaultFormat: DEFAULT }), DEFAULT);
  assert.equal(resolveFormat('table', COLUMNS, { quiet: true }), '{{.ID}}');
  assert.equal(resolveFormat('{{.Names}}', COLUMNS, { quiet: true }), '{{.ID}}');
  assert.equal(resolveFormat('table', { ID: 'ID', Name: 'NAME' }), 'table {{.ID}}\\t{{.Name}}');
  assert.equal(resolveFormat('raw', { ID: 'CONTAINER ID', Image: 'IMAGE' }), 'container_id: {{.ID}}\\nimage: {{.Image}}\\n');
});

test('the default table, as docker ps prints it', () => {
  assert.equal(formatItems('', items, COLUMNS, { defaultFormat: DEFAULT + '\t{{.Size}}' }),
    'CONTAINER ID   IMAGE     COMMAND   CREATED        STATUS    PORTS     NAMES        SIZE\n'
    + 'containerID1   ubuntu    ""        24 hours ago                       foobar_baz   0B\n'
    + 'containerID2   ubuntu    ""        24 hours ago                       foobar_bar   0B\n');
});

test('custom tables get their header from the columns, through docker functions', () => {
  assert.equal(formatItems('table {{.Image}}', items, COLUMNS), 'IMAGE\nubuntu\nubuntu\n');
  assert.equal(formatItems('table {{.State}}', items, COLUMNS), 'STATE\nrunning\nrunning\n');
  assert.equal(formatItems('table {{split .Image ":"}}', items, COLUMNS), 'IMAGE\n[ubuntu]\n[ubuntu]\n');
  assert.equal(
    formatItems('table {{truncate .ID 5}}\\t{{json .Image}} {{.RunningFor}}/{{title .Status}}/{{pad .Ports 2 2}}.{{upper .Names}} {{lower .Status}}', items, COLUMNS),
    'CONTAINER ID   IMAGE CREATED/STATUS/  PORTS  .NAMES STATUS\n'
    + 'conta          "ubuntu" 24 hours ago//.FOOBAR_BAZ \n'
    + 'conta          "ubuntu" 24 hours ago//.FOOBAR_BAR \n',
  );
  assert.equal(formatItems('table {{.ID}}\t{{.Label "com.x"}}', items, COLUMNS),
    'CONTAINER ID   x\ncontainerID1   one\ncontainerID2   \n');
});

test('quiet prints IDs, whatever the format', () => {
  assert.equal(formatItems('table {{.Image}}', items, COLUMNS, { quiet: true }), 'containerID1\ncontainerID2\n');
  assert.equal(formatItems('table', items, COLUMNS, { quiet: true }), 'containerID1\ncontainerID2\n');
});

test('plain templates print one rendering per line; raw uses the raw format', () => {
  assert.equal(formatItems('{{.Image}}', items, COLUMNS), 'ubuntu\nubuntu\n');
  assert.equal(formatItems('{{.ID}}: {{.Names}}', items, COLUMNS), 'containerID1: foobar_baz\ncontainerID2: foobar_bar\n');
  const raw = 'container_id: {{.ID}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\n';
  assert.equal(formatItems('raw', items.slice(0, 1), COLUMNS, { rawFormat: raw }),
    'container_id: containerID1\nstatus:\nnames: foobar_baz\n\n');
});

test('json prints one object per line, keys sorted as docker marshals its contexts', () => {
  const out = formatItems('json', items.slice(0, 1), COLUMNS);
  assert.equal(out, '{"Command":"\\"\\"","ID":"containerID1","Image":"ubuntu","Names":"foobar_baz","Ports":"",'
    + '"RunningFor":"24 hours ago","Size":"0B","State":"running","Status":""}\n');
  assert.equal(formatItems('json', [{ Name: 'v1', Driver: 'local' }], {}), '{"Name":"v1","Driver":"local"}\n');
  assert.equal(formatItems('{{json .Names}}', items.slice(0, 1), COLUMNS), '"foobar_baz"\n');
});

test('no items: a table still has its header; other formats print nothing', () => {
  assert.equal(formatItems('table {{.ID}}\t{{.Image}}', [], COLUMNS), 'CONTAINER ID   IMAGE\n');
  assert.equal(formatItems('{{.ID}}', [], COLUMNS), '');
  assert.equal(formatItems('json', [], COLUMNS), '');
});

test('a header that fails to render keeps what came before, as docker ignores the error', () => {
  assert.equal(formatItems('table {{.ID}}\t{{json .}}', items.slice(0, 1), COLUMNS), 'CONTAINER ID   \ncontainerID1   {"Command":"\\"\\"","ID":"containerID1","Image":"ubuntu","Names":"foobar_baz","Ports":"","RunningFor":"24 hours ago","Size":"0B","State":"running","Status":""}\n');
});

test('errors are invalid-argument, worded like docker', () => {
  assert.equal(formatError('{{InvalidFunction}}'), 'template parsing error: template: :1: function "InvalidFunction" not defined');
  assert.equal(formatError('{{nil}}'), 'template parsing error: template: :1:2: executing "" at <nil>: nil is not a command');
  assert.equal(formatError('{{.Foo}}'),
    'template parsing error: template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type *formatter.ContainerContext');
  assert.equal(formatError('table {{.ID'), 'template parsing error: template: :1: unclosed action');
});

test('plain-object items: missing fields print <no value>', () => {
  assert.equal(formatItems('{{.Name}} {{.Nope}}', [{ Name: 'v' }], {}), 'v <no value>\n');
});

test('headerContext: the Label method shows the last dotted segment', () => {
  const h = headerContext({ ID: 'ID' }) as { Label: (n: string) => string };
  assert.equal(h.Label('com.docker.compose.project'), 'project');
  assert.equal(h.Label('com.example.my-label_x'), 'my label x');
});
