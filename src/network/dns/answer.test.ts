import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { answerLocally } from './answer.js';
import type { DnsView } from './answer.js';

const view: DnsView = {
  forward: (cid, name) => (cid === 'c1' && name === 'web' ? ['10.1.0.3'] : undefined),
  reverse: (cid, ip) => (cid === 'c1' && ip === '10.1.0.3' ? 'web.net1' : undefined),
};

function q(name: string, type: 'A' | 'AAAA' | 'PTR'): Buffer {
  return dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] });
}

test('A for a known name', () => {
  const r = dnsPacket.decode(answerLocally(view, 'c1', q('web', 'A'))!);
  assert.equal(r.id, 7);
  assert.deepEqual(r.answers?.map((a) => [a.type, (a as { data: string }).data]), [['A', '10.1.0.3']]);
});

test('AAAA for a known name is an empty answer, unknown names are forwarded', () => {
  const r = dnsPacket.decode(answerLocally(view, 'c1', q('WEB.', 'AAAA'))!);
  assert.equal(r.answers?.length, 0);
  assert.equal(answerLocally(view, 'c1', q('example.org', 'A')), undefined);
  assert.equal(answerLocally(view, 'c2', q('web', 'A')), undefined, 'other containers do not see the name');
});

test('PTR for a known address', () => {
  const r = dnsPacket.decode(answerLocally(view, 'c1', q('3.0.1.10.in-addr.arpa', 'PTR'))!);
  assert.equal((r.answers?.[0] as { data: string }).data, 'web.net1');
});
