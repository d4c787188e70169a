/**
 * The terminal's raw mode as docker's CLI sets it (moby/term MakeRaw, like cfmakeraw): Node's
 * setRawMode leaves output processing on (OPOST/ONLCR), so a container's "\r\n" reached the
 * screen as "\r\r\n" and a full-screen program's bare "\n" (cursor down) as a carriage return
 * too. Applied after setRawMode(true); setRawMode(false) restores the termios libuv saved.
 */
import { check, lazyFunc } from './libc.js';

const TERMIOS_SIZE = 60; // struct termios (glibc, Linux): 4 flag words, c_line, c_cc[32], speeds
const IFLAG = 0;
const OFLAG = 4;
const CFLAG = 8;
const LFLAG = 12;
const CC = 17;
const VTIME = 5;
const VMIN = 6;
const TCSANOW = 0;

const IGNBRK = 0x1, BRKINT = 0x2, PARMRK = 0x8, ISTRIP = 0x20, INLCR = 0x40, IGNCR = 0x80, ICRNL = 0x100, IXON = 0x400;
const OPOST = 0x1;
const CSIZE = 0x30, CS8 = 0x30, PARENB = 0x100;
const ISIG = 0x1, ICANON = 0x2, ECHO = 0x8, ECHONL = 0x40, IEXTEN = 0x8000;

const tcgetattrFn = lazyFunc('int tcgetattr(int fd, _Out_ uint8_t *termios)');
const tcsetattrFn = lazyFunc('int tcsetattr(int fd, int when, const uint8_t *termios)');

export function makeRaw(fd: number): void {
  const t = Buffer.alloc(TERMIOS_SIZE);
  check(tcgetattrFn()(fd, t) as number, 'tcgetattr');
  const clear = (off: number, bits: number): void => {
    t.writeUInt32LE((t.readUInt32LE(off) & ~bits) >>> 0, off);
  };
  clear(IFLAG, IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
  clear(OFLAG, OPOST);
  clear(LFLAG, ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  clear(CFLAG, CSIZE | PARENB);
  t.writeUInt32LE((t.readUInt32LE(CFLAG) | CS8) >>> 0, CFLAG);
  t[CC + VMIN] = 1;
  t[CC + VTIME] = 0;
  check(tcsetattrFn()(fd, TCSANOW, t) as number, 'tcsetattr');
}
