/** inspect's Go-style re-indentation, the fast template path, ellipsis and Go quoting. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indentJSON } from './inspect.js';
import { fastTemplate } from './fast-template.js';
import { ellipsis, filtersJSON, goQuote, goTimeString } from './util.js';

test('indentJSON matches json.Indent with four spaces', () => {
  const src = '[{"Id":"a","Args":[],"Cfg":{},"L":{"k":"v<>"},"N":[1,2],"S":"x\\"y, z"}]';
  assert.equal(indentJSON(src, '', '    '), [
    '[', '    {', '        "Id": "a",', '        "Args": [],', '        "Cfg": {},', '        "L": {',
    '            "k": "v<>"', '        },', '        "N": [', '            1,', '            2', '        ],',
    '        "S": "x\\"y, z"', '    }', ']',
  ].join('\n'));
  assert.equal(indentJSON('[]', '', '    '), '[]');
});

test('fastTemplate handles field chains and defers everything else', () => {
  const data = { Client: { Version: '1.2' }, State: { Running: true, Pid: 12 }, F: 1.5 };
  assert.equal(fastTemplate('{{.Client.Version}}', data), '1.2');
  assert.equal(fastTemplate('v={{ .State.Running }} {{.State.Pid}}', data), 'v=true 12');
  assert.equal(fastTemplate('{{.F}}', data), undefined);
  assert.equal(fastTemplate('{{json .}}', data), undefined);
  assert.equal(fastTemplate('{{.Missing}}', data), undefined);
  assert.equal(fastTemplate('{{- .Client.Version}}', data), undefined);
});

test('ellipsis, goQuote, goTimeString, filtersJSON', () => {
  assert.equal(ellipsis('sh -c "echo out; echo err"', 20), 'sh -c "echo out; ec…');
  assert.equal(ellipsis('short', 20), 'short');
  assert.equal(goQuote('sh -c "a"\n'), '"sh -c \\"a\\"\\n"');
  assert.equal(goTimeString(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))), '2024-01-02 03:04:05 +0000 UTC');
  assert.equal(filtersJSON(['status=running', 'status=exited', 'name=x']), '{"status":{"running":true,"exited":true},"name":{"x":true}}');
});
