/**
 * Terminals: a foreground run with `terminal: true` proxies a pty (driven here through
 * util-linux `script`, which gives the runtime a real terminal), and `--console-socket`
 * hands the pty master to the caller over SCM_RIGHTS (received by a small python3 helper).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { makeBundle, RUNC } from '../../helpers/runc.js';

test('a foreground run with a terminal gets a pty', (t) => {
  const b = makeBundle((s) => {
    s.process!.terminal = true;
    s.process!.args = ['sh', '-c', 'tty; stty size; test -t 0 && echo stdin-is-tty'];
    s.process!.consoleSize = { height: 33, width: 101 };
  });
  t.after(() => b.cleanup());
  const cmd = `${process.execPath} ${RUNC} --root ${b.root} run --bundle ${b.dir} tty1`;
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 30_000, input: '' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\/dev\/pts\/\d+/);
  assert.match(r.stdout, /stdin-is-tty/);
});

const RECEIVER = `
import socket, sys, os, array, time
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path); s.listen(1)
print("listening", flush=True)
c, _ = s.accept()
fds = array.array("i")
msg, anc, flags, addr = c.recvmsg(1, socket.CMSG_LEN(fds.itemsize))
for level, typ, data in anc:
    fds.frombytes(data[:fds.itemsize])
m = fds[0]
os.write(m, b"echo hi-from-$((40+2))\\n")
out = b""
end = time.time() + 10
while b"hi-from-42" not in out and time.time() < end:
    out += os.read(m, 4096)
sys.stdout.write(out.decode(errors="replace"))
os.write(m, b"exit 3\\n")
time.sleep(0.2)
`;

test('--console-socket receives the pty master', async (t) => {
  const b = makeBundle((s) => {
    s.process!.terminal = true;
    s.process!.args = ['sh'];
  });
  t.after(() => b.cleanup());
  const sock = join(b.root, 'console.sock');
  const rx = spawn('python3', ['-c', RECEIVER, sock], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  rx.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  while (!out.includes('listening')) await new Promise((r) => setTimeout(r, 20));
  const r = b.runc(['run', '-d', '--console-socket', sock, 'tty2']);
  assert.equal(r.status, 0, r.stderr);
  await new Promise((r) => rx.on('close', r));
  assert.match(out, /hi-from-42/);
});
