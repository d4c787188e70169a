/**
 * Answering one DNS query for the embedded server: names of containers, their network aliases
 * and short ids resolve to their addresses on the networks the asking container shares with
 * them (A records, TTL 600 as Docker); reverse lookups of those addresses give the name. Anything
 * else returns undefined and is forwarded to the upstream resolvers. Pure: unit-tested.
 */
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';

export interface DnsView {
  /** Addresses for `name` as seen from `containerId`; undefined when the name is not ours. */
  forward(containerId: string, name: string): string[] | undefined;
  /** Name for an address as seen from `containerId`. */
  reverse(containerId: string, ip: string): string | undefined;
}

const TTL = 600;

function reverseToIp(name: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/i.exec(name);
  return m ? `${m[4]}.${m[3]}.${m[2]}.${m[1]}` : undefined;
}

/** The response bytes for a query we answer ourselves, or undefined to forward it. */
export function answerLocally(view: DnsView, containerId: string, query: Buffer): Buffer | undefined {
  let req: DecodedPacket;
  try {
    req = dnsPacket.decode(query);
  } catch {
    return undefined;
  }
  const q = req.questions?.[0];
  if (!q || req.type !== 'query') return undefined;
  const name = q.name.replace(/\.$/, '').toLowerCase();
  const answers: Answer[] = [];
  if (q.type === 'PTR') {
    const ip = reverseToIp(name);
    const host = ip ? view.reverse(containerId, ip) : undefined;
    if (!host) return undefined;
    answers.push({ type: 'PTR', name: q.name, ttl: TTL, data: host });
  } else {
    const ips = view.forward(containerId, name);
    if (!ips) return undefined;
    // Known name, other record type (AAAA on an IPv4-only network): an empty NOERROR answer.
    if (q.type === 'A' || (q.type as string) === 'ANY') {
      for (const ip of ips) answers.push({ type: 'A', name: q.name, ttl: TTL, data: ip });
    }
  }
  const rd = req.flag_rd ? dnsPacket.RECURSION_DESIRED : 0;
  return dnsPacket.encode({
    type: 'response',
    id: req.id,
    flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_AVAILABLE | rd,
    questions: [q],
    answers,
  });
}

/** A SERVFAIL response for a query no upstream answered. */
export function servfail(query: Buffer): Buffer | undefined {
  try {
    const req = dnsPacket.decode(query);
    return dnsPacket.encode({ type: 'response', id: req.id, flags: 2 | dnsPacket.RECURSION_AVAILABLE, questions: req.questions ?? [] });
  } catch {
    return undefined;
  }
}
