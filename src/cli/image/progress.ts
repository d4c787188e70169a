/**
 * Docker's JSON-message progress display (pull, push, load): on a terminal, one line per layer
 * id rewritten in place with ANSI cursor moves; otherwise plain lines, and progress-bar updates
 * are skipped. An in-band `error` ends the stream with that message.
 */
import { ApiError } from '../../client/index.js';

export interface JSONMessage {
  id?: string;
  status?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: unknown;
}

export async function displayStream(messages: AsyncIterable<JSONMessage>, out: NodeJS.WriteStream, onAux?: (a: unknown) => void): Promise<void> {
  const tty = out.isTTY === true;
  const ids: string[] = [];
  for await (const m of messages) {
    if (m.error || m.errorDetail?.message) throw new ApiError(500, m.errorDetail?.message ?? m.error ?? '');
    if (m.aux !== undefined) {
      onAux?.(m.aux);
      continue;
    }
    if (m.stream !== undefined) {
      out.write(m.stream);
      continue;
    }
    const hasProgress = m.progressDetail !== undefined && (m.progressDetail.current !== undefined || m.progress);
    if (!tty && hasProgress) continue;
    const text = `${m.id ? `${m.id}: ` : ''}${m.status ?? ''}${tty && m.progress ? ` ${m.progress}` : ''}`;
    if (!tty || !m.id) {
      out.write(text + '\n');
      continue;
    }
    let idx = ids.indexOf(m.id);
    if (idx < 0) {
      ids.push(m.id);
      out.write(text + '\n');
      continue;
    }
    const up = ids.length - idx;
    out.write(`\x1b[${up}A\r\x1b[2K${text}\r\x1b[${up}B`);
    idx = -1;
  }
}
