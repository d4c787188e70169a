/**
 * `skiff logs`: GET /containers/{id}/logs with `-f`, `--tail`, `--since`, `--until`, `-t`,
 * `--details`; output is demultiplexed unless the container has a tty.
 */
import { Demuxer, STDERR } from '../../common/stdcopy.js';
import type { Command } from '../framework/command.js';

/** docker's GetTimestamp: a relative duration ("10m"), unix seconds, or an RFC 3339 time. */
export function toTimestamp(v: string, now = Date.now()): string {
  if (v === '') return '';
  if (/^\d+(\.\d+)?$/.test(v)) return v;
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(v) ?? (/^(?:\d+(?:\.\d+)?(?:ns|us|ms|s|m|h))+$/.test(v) ? null : undefined);
  if (m) {
    const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
    return String(Math.floor((now - Number(m[1]) * unit[m[2]!]!) / 1000));
  }
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new Error(`invalid value for "since": failed to parse value as time or duration: "${v}"`);
  return String(Math.floor(t / 1000));
}

const command: Command = {
  usage: '[OPTIONS] CONTAINER',
  short: 'Fetch the logs of a container',
  aliases: ['skiff container logs', 'skiff logs'],
  flags: [
    { long: 'details', kind: 'bool', help: 'Show extra details provided to logs' },
    { long: 'follow', short: 'f', kind: 'bool', help: 'Follow log output' },
    { long: 'since', kind: 'string', help: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    { long: 'tail', short: 'n', kind: 'string', help: 'Number of lines to show from the end of the logs', default: 'all' },
    { long: 'timestamps', short: 't', kind: 'bool', help: 'Show timestamps' },
    { long: 'until', kind: 'string', help: 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
  ],
  args: { min: 1, max: 1 },
  async run(cli, o, [name]) {
    const c = await cli.client.get(`/containers/${encodeURIComponent(name!)}/json`);
    const res = await cli.client.request('GET', `/containers/${encodeURIComponent(name!)}/logs`, {
      query: {
        stdout: '1', stderr: '1', follow: o.bool('follow') || undefined, timestamps: o.bool('timestamps') || undefined,
        details: o.bool('details') || undefined, tail: o.str('tail'),
        since: toTimestamp(o.str('since')) || undefined, until: toTimestamp(o.str('until')) || undefined,
      },
    });
    const demux = new Demuxer();
    for await (const chunk of res) {
      if (c.Config?.Tty) {
        process.stdout.write(chunk as Buffer);
        continue;
      }
      for (const f of demux.push(chunk as Buffer)) (f.stream === STDERR ? process.stderr : process.stdout).write(f.data);
    }
  },
};
export default command;
