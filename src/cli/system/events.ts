/**
 * `skiff events` (`system events`): GET /events as JSON lines, printed in docker's default line
 * format (`<time> <type> <action> <id> (k=v, …)`) or through `--format`.
 */
import { formatItems } from '../format/index.js';
import type { Command } from '../framework/command.js';
import { filtersJSON } from '../framework/util.js';
import { toTimestamp } from '../container/logs.js';
import { FORMAT_HELP } from '../framework/flags.js';

/** Go's RFC3339Nano with nanoseconds padded to 9 digits, as docker prints event times. */
function eventTime(ev: any): string {
  const ns = BigInt(ev.timeNano ?? ev.time * 1e9);
  const secs = Number(ns / 1000000000n);
  const frac = String(ns % 1000000000n).padStart(9, '0');
  return new Date(secs * 1000).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}

export function eventLine(ev: any): string {
  const attrs = Object.entries((ev.Actor?.Attributes ?? {}) as Record<string, string>).sort(([a], [b]) => a.localeCompare(b));
  const tail = attrs.length ? ` (${attrs.map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
  return `${eventTime(ev)} ${ev.Type} ${ev.Action} ${ev.Actor?.ID ?? ''}${tail}`;
}

const command: Command = {
  usage: '[OPTIONS]',
  short: 'Get real time events from the server',
  aliases: ['skiff system events', 'skiff events'],
  flags: [
    { long: 'filter', short: 'f', kind: 'list', help: 'Filter output based on conditions provided' },
    { long: 'format', kind: 'string', help: FORMAT_HELP },
    { long: 'since', kind: 'string', help: 'Show all events created since timestamp' },
    { long: 'until', kind: 'string', help: 'Stream events until this timestamp' },
  ],
  args: { max: 0 },
  async run(cli, o) {
    const stream = cli.client.jsonLines('GET', '/events', {
      query: { since: toTimestamp(o.str('since')) || undefined, until: toTimestamp(o.str('until')) || undefined, filters: filtersJSON(o.list('filter')) },
    });
    const format = o.str('format');
    for await (const ev of stream) {
      cli.out(format ? formatItems(format, [ev], {}) : eventLine(ev) + '\n');
    }
  },
};
export default command;
