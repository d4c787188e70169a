/**
 * Comparing what the classic builder makes on two daemons: a corpus of Dockerfiles (one per
 * feature), the image config fields `docker inspect` shows, the history lines, and the file
 * trees of each layer (paths, types, modes, owners, sizes) read from `docker save` tarballs.
 * Times, ids and digests are left out: they differ between any two builds.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';

export interface CorpusCase {
  name: string;
  files: Record<string, string | Buffer>;
  buildArgs?: Record<string, string>;
  /** Built first (same context) and tagged `<name>-base:1`, for ONBUILD. */
  base?: string;
  /** Copies from an image or stage (sums of files in a rootfs, not in the context). */
  fromImage?: boolean;
}

/** A tar with one file and one directory, for ADD to unpack. */
function smallTar(): Buffer {
  const out = spawnSync('sh', ['-c', 'd=$(mktemp -d) && mkdir -p $d/src/sub && echo one > $d/src/a.txt && echo two > $d/src/sub/b.txt && chmod 0640 $d/src/a.txt && tar --owner=7 --group=8 --numeric-owner -C $d/src -cf - . && rm -rf $d'], { maxBuffer: 1 << 20 });
  if (out.status !== 0) throw new Error('tar failed');
  return out.stdout;
}

export function corpus(): CorpusCase[] {
  return [
    {
      name: 'env-arg',
      buildArgs: { A: 'given', E: 'e1', UNDECLARED_IS_FINE: 'x' },
      files: {
        Dockerfile: [
          'FROM busybox', 'ARG A=1', 'ENV B=$A C="x y" D=${A:-none}', 'ARG B=argb', 'ENV E1=${B}-${A} PATH=/opt/bin:$PATH',
          'RUN echo "$A $B $C" > /out', 'ARG E', 'ARG F=fdef', 'RUN echo "$E $F" > /e', 'ENV A=envA', 'RUN echo $A > /a', 'ENV H I',
        ].join('\n'),
      },
    },
    { name: 'cmd-shell', files: { Dockerfile: 'FROM busybox\nCMD echo "hello $HOME"\n' } },
    { name: 'cmd-json', files: { Dockerfile: 'FROM busybox\nCMD ["echo", "a b", "c"]\n' } },
    { name: 'entrypoint-json-after-cmd', files: { Dockerfile: 'FROM busybox\nCMD ["x"]\nENTRYPOINT ["/bin/echo", "y"]\n' } },
    { name: 'entrypoint-shell', files: { Dockerfile: 'FROM busybox\nENTRYPOINT echo hi\n' } },
    { name: 'entrypoint-then-cmd', files: { Dockerfile: 'FROM busybox\nENTRYPOINT ["/bin/echo"]\nCMD hello world\n' } },
    { name: 'run-json', files: { Dockerfile: 'FROM busybox\nRUN ["sh", "-c", "echo x > /x"]\nRUN touch /y\n' } },
    {
      name: 'workdir',
      files: { Dockerfile: 'FROM busybox\nENV X=/base\nWORKDIR /a\nWORKDIR b\nWORKDIR ../c\nWORKDIR $X/d\nWORKDIR e/\nWORKDIR /tmp\nRUN pwd > /pwd\nCOPY f rel/\nCOPY f .\n', f: 'f\n' },
    },
    { name: 'user', files: { Dockerfile: 'FROM busybox\nUSER nobody\nRUN whoami > /tmp/id\nUSER 1000:1000\nUSER root\n' } },
    { name: 'expose', files: { Dockerfile: 'FROM busybox\nEXPOSE 80 443/udp\nEXPOSE 8080-8081/TCP 53/sctp\nEXPOSE 80\n' } },
    { name: 'volume', files: { Dockerfile: 'FROM busybox\nVOLUME /data\nVOLUME ["/a", "/b"]\nVOLUME /c /d\nRUN echo x > /data/f\n' } },
    { name: 'label', files: { Dockerfile: 'FROM busybox\nLABEL a=b "c d"="e f"\nLABEL x="multi word" y=z\nLABEL a=override\nLABEL old value\n' } },
    {
      name: 'healthcheck',
      files: {
        Dockerfile: 'FROM busybox\nHEALTHCHECK --interval=5s --timeout=2s --retries=4 --start-period=1m30s CMD wget -q localhost\n' +
          'HEALTHCHECK CMD ["true"]\nHEALTHCHECK --interval=1h2m3s --timeout=1500ms CMD true\n',
      },
    },
    { name: 'healthcheck-none', files: { Dockerfile: 'FROM busybox\nHEALTHCHECK CMD true\nHEALTHCHECK NONE\n' } },
    { name: 'stopsignal', files: { Dockerfile: 'FROM busybox\nSTOPSIGNAL SIGKILL\nSTOPSIGNAL 9\nSTOPSIGNAL SIGUSR1\n' } },
    {
      name: 'shell',
      files: { Dockerfile: 'FROM busybox\nSHELL ["/bin/sh", "-xc"]\nRUN echo a > /a\nCMD echo b\nENTRYPOINT echo c\nENV K=v\nHEALTHCHECK CMD true\n' },
    },
    {
      name: 'onbuild',
      base: 'FROM busybox\nONBUILD RUN echo triggered > /trig\nONBUILD ENV T=1\nONBUILD COPY f /f\nLABEL base=1\n',
      files: { Dockerfile: 'FROM onbuild-base:1\nRUN cat /trig\n', f: 'onbuild file\n' },
    },
    {
      name: 'multistage',
      fromImage: true,
      files: {
        Dockerfile: 'FROM busybox AS build\nRUN mkdir -p /out/d && echo built > /out/d/x && chmod 0600 /out/d/x\n' +
          'FROM busybox\nCOPY --from=build /out /copied\nCOPY --from=build /out/d/x /single\nCOPY --from=0 /out/d/ /dir/\n',
      },
    },
    {
      name: 'add-tar',
      files: { Dockerfile: 'FROM busybox\nADD t.tar /unpacked/\nADD t.tar plain.tar\nCOPY t.tar /copied.tar\n', 't.tar': smallTar() },
    },
    {
      name: 'copy-chown',
      files: {
        Dockerfile: 'FROM busybox\nCOPY --chown=nobody:nogroup a /a\nCOPY --chown=123:456 dir /dir/\nCOPY --chown=1 a b /multi/\nCOPY * /all/\nADD --chown=nobody:65534 dir /added\nCOPY --chown=root a /root-owned\n',
        a: 'a\n', b: 'bb\n', 'dir/x': 'x\n', 'dir/sub/y': 'yy\n',
      },
    },
    { name: 'maintainer', files: { Dockerfile: 'FROM busybox\nMAINTAINER Jane Doe <jane@example.com>\nRUN true\nENV Z=1\n' } },
  ];
}

/** Writes a case's context under `dir`; returns its path. */
export function writeContext(dir: string, files: Record<string, string | Buffer>): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [p, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), body);
  }
  return dir;
}

export const CONFIG_FIELDS = [
  'Env', 'Cmd', 'Entrypoint', 'WorkingDir', 'User', 'ExposedPorts', 'Volumes', 'Labels', 'Healthcheck', 'StopSignal', 'Shell', 'OnBuild', 'ArgsEscaped',
] as const;

export interface FileEntry { path: string; type: string; mode: string; uid: number; gid: number; size: number; linkname: string }

export interface SavedImage {
  config: Record<string, unknown>;
  /** One sorted entry list per layer. */
  layers: FileEntry[][];
}

async function entriesOf(layer: Buffer): Promise<FileEntry[]> {
  const data = layer[0] === 0x1f && layer[1] === 0x8b ? gunzipSync(layer) : layer;
  const out: FileEntry[] = [];
  const ex = tar.extract();
  const done = new Promise<void>((res, rej) => { ex.on('finish', res); ex.on('error', rej); });
  ex.on('entry', (h, stream, next) => {
    const path = `/${h.name}`.replace(/\/+$/, '').replace(/^\/(\.\/?)?/, '/') || '/';
    out.push({ path, type: h.type ?? '', mode: ((h.mode ?? 0) & 0o7777).toString(8), uid: h.uid ?? 0, gid: h.gid ?? 0, size: h.size ?? 0, linkname: h.linkname ?? '' });
    stream.on('end', next);
    stream.resume();
  });
  ex.end(data);
  await done;
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Reads a `docker save` tarball of one image: its config and its layers' file lists. */
export async function readSaved(file: string): Promise<SavedImage> {
  const blobs = new Map<string, Buffer>();
  const ex = tar.extract();
  const done = new Promise<void>((res, rej) => { ex.on('finish', res); ex.on('error', rej); });
  ex.on('entry', (h, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => { chunks.push(c as Buffer); });
    stream.on('end', () => { if (h.type === 'file') blobs.set(h.name, Buffer.concat(chunks)); next(); });
  });
  createReadStream(file).pipe(ex);
  await done;
  const manifest = JSON.parse(blobs.get('manifest.json')!.toString()) as Array<{ Config: string; Layers: string[] }>;
  const config = JSON.parse(blobs.get(manifest[0]!.Config)!.toString()) as Record<string, unknown>;
  const layers: FileEntry[][] = [];
  for (const l of manifest[0]!.Layers) layers.push(await entriesOf(blobs.get(l)!));
  return { config, layers };
}

/** Null, absent, empty string and false are what Go's omitempty leaves out: all the same to a user. */
function norm(v: unknown): unknown {
  if (v === null || v === undefined || v === '' || v === false) return null;
  if (Array.isArray(v)) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => norm(o[k]) !== null || k.includes('/') || k.startsWith('/')).sort();
    return Object.fromEntries(keys.map((k) => [k, norm(o[k])]));
  }
  return v;
}

/**
 * History lines of dockerd before 25, rewritten to what newer ones write: HEALTHCHECK gained a
 * start interval, `--chown=x` gained the space before the sum, and sums of files in an image
 * no longer carry the file-type mode bits and host user names (we mask those sums).
 */
export function modernHistory(line: string, fromImage: boolean): string {
  let out = line.replace(/(HEALTHCHECK &\{\[.*\] "[^"]*" "[^"]*" "[^"]*") '/, '$1 "0s" \'');
  out = out.replace(/--chown=(\S*?)((?:file|dir|multi):[0-9a-f]{64})/, '--chown=$1 $2');
  if (fromImage) out = out.replace(/((?:file|dir|multi)):[0-9a-f]{64}/, '$1:<sum>');
  return out;
}

/**
 * Human-readable differences between two saved images (empty when they match). `legacy` applies
 * `modernHistory` to dockerd's lines (and masks image-source sums on both sides).
 */
export function differences(want: SavedImage, got: SavedImage, legacy = false, fromImage = false): string[] {
  const diffs: string[] = [];
  const wc = (want.config.config ?? {}) as Record<string, unknown>;
  const gc = (got.config.config ?? {}) as Record<string, unknown>;
  for (const f of CONFIG_FIELDS) {
    const a = JSON.stringify(norm(wc[f]));
    const b = JSON.stringify(norm(gc[f]));
    if (a !== b) diffs.push(`config.${f}: dockerd ${a} skiffd ${b}`);
  }
  if ((want.config.author ?? '') !== (got.config.author ?? '')) diffs.push(`author: dockerd ${JSON.stringify(want.config.author)} skiffd ${JSON.stringify(got.config.author)}`);
  const hist = (c: Record<string, unknown>) => ((c.history ?? []) as Array<Record<string, unknown>>).map((h) => `${h.created_by ?? ''}${h.empty_layer ? ' [empty]' : ''}`);
  const wh = hist(want.config).map((l) => (legacy ? modernHistory(l, fromImage) : l));
  const gh = hist(got.config).map((l) => (legacy && fromImage ? modernHistory(l, fromImage) : l));
  for (let i = 0; i < Math.max(wh.length, gh.length); i++) {
    if (wh[i] !== gh[i]) diffs.push(`history[${i}]: dockerd ${JSON.stringify(wh[i])} skiffd ${JSON.stringify(gh[i])}`);
  }
  if (want.layers.length !== got.layers.length) diffs.push(`layer count: dockerd ${want.layers.length} skiffd ${got.layers.length}`);
  for (let i = 0; i < Math.min(want.layers.length, got.layers.length); i++) {
    const show = (e: FileEntry) => `${e.path} ${e.type} ${e.mode} ${e.uid}:${e.gid} ${e.type === 'file' ? e.size : ''}${e.linkname ? ` -> ${e.linkname}` : ''}`;
    const a = new Set(want.layers[i]!.map(show)), b = new Set(got.layers[i]!.map(show));
    for (const x of a) if (!b.has(x)) diffs.push(`layer ${i}: only dockerd: ${x}`);
    for (const x of b) if (!a.has(x)) diffs.push(`layer ${i}: only skiffd: ${x}`);
  }
  return diffs;
}
