/**
 * Container names: Docker's validation (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`, stored with a leading
 * slash) and generated names of the form adjective_noun when the user gives none.
 */
import { randomInt } from 'node:crypto';
import { invalidArgument } from '../../common/errors.js';

const NAME_RE = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function validateName(name: string): string {
  if (!NAME_RE.test(name)) throw invalidArgument(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  return name.startsWith('/') ? name : `/${name}`;
}

const LEFT = [
  'agile', 'amber', 'bold', 'brave', 'bright', 'calm', 'clever', 'cosmic', 'crisp', 'daring', 'eager', 'fluent',
  'gentle', 'glad', 'golden', 'happy', 'humble', 'keen', 'kind', 'lively', 'lucid', 'merry', 'mellow', 'nimble',
  'noble', 'patient', 'plucky', 'proud', 'quiet', 'rapid', 'serene', 'sharp', 'shiny', 'steady', 'sunny', 'swift',
  'tidy', 'upbeat', 'vivid', 'wise', 'witty', 'zesty',
];

const RIGHT = [
  'albatross', 'anchor', 'atoll', 'barnacle', 'beacon', 'breaker', 'buoy', 'canoe', 'cove', 'current', 'dinghy',
  'dolphin', 'estuary', 'ferry', 'fjord', 'gull', 'harbor', 'heron', 'jetty', 'kayak', 'keel', 'lagoon', 'lantern',
  'mast', 'narwhal', 'oar', 'orca', 'otter', 'pelican', 'pier', 'puffin', 'raft', 'reef', 'rudder', 'schooner',
  'seal', 'sloop', 'sound', 'tern', 'tide', 'wake', 'whale',
];

export function generateName(taken: (name: string) => boolean): string {
  for (let i = 0; i < 100; i++) {
    const n = `/${LEFT[randomInt(LEFT.length)]}_${RIGHT[randomInt(RIGHT.length)]}${i >= 10 ? randomInt(10) : ''}`;
    if (!taken(n)) return n;
  }
  throw invalidArgument('could not generate a unique container name');
}
