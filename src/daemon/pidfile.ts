/**
 * The daemon's pidfile: refuses to start while another live process holds it (dockerd's
 * pkg/pidfile), and is removed at shutdown.
 */
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function writePidfile(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  const old = await readFile(path, 'utf8').catch(() => '');
  const pid = Number.parseInt(old.trim(), 10);
  if (pid > 0 && pid !== process.pid && alive(pid)) {
    // A pid reused by an unrelated process still blocks, as in dockerd; the message says how out.
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const what = cmd.includes('skiffd') ? 'skiffd' : 'process';
    throw new Error(`failed to start daemon, ensure skiffd is not running or delete ${path}: ${what} with PID ${pid} is still running`);
  }
  await writeFile(path, `${process.pid}\n`, { mode: 0o644 });
}

export async function removePidfile(path: string): Promise<void> {
  const cur = await readFile(path, 'utf8').catch(() => '');
  if (Number.parseInt(cur.trim(), 10) === process.pid) await unlink(path).catch(() => undefined);
}
