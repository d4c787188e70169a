/**
 * The ApiRequest/ApiResponse objects handed to handlers (route.ts), built over Node's request and
 * response. Body JSON follows moby's httputils.ReadJSON: no body is fine, a Content-Type other
 * than application/json is refused, malformed JSON is `invalid JSON: …` (400).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex, Writable } from 'node:stream';
import { invalidArgument } from '../common/errors.js';
import { acceptLegacy, acceptUpgrade } from './hijack.js';
import type { ApiRequest, ApiResponse, Method } from './route.js';
import { escapeJSONHTML } from '../common/html-escape.js';

/** Largest JSON body we parse; container and service configs are far smaller. */
export const JSON_BODY_LIMIT = 32 * 1024 * 1024;

/** Per-response state the server reads after the handler settles. */
export interface ResponseState {
  streaming: boolean;
  hijacked: Duplex | undefined;
}

function checkJsonContentType(req: IncomingMessage, hasBody: boolean): void {
  const ct = req.headers['content-type'];
  if (ct === undefined || ct === '') {
    if (!hasBody) return;
    return; // Go's net/http clients always set it; a bare body is read as JSON like curl sends.
  }
  const mime = ct.split(';')[0]!.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mime)) {
    throw invalidArgument(`malformed Content-Type header (${ct}): mime: no media type`);
  }
  if (mime !== 'application/json') {
    throw invalidArgument(`unsupported Content-Type header (${ct}): must be 'application/json'`);
  }
}

function parseJson<T>(buf: Buffer): T | undefined {
  const text = buf.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw invalidArgument(`invalid JSON: ${(e as Error).message}`, e);
  }
}

async function readAll(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw invalidArgument('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

export function makeRequest(
  raw: IncomingMessage,
  path: string,
  params: Record<string, string>,
  query: URLSearchParams,
  version: string,
  upgradeBody: Buffer | undefined,
): ApiRequest {
  return {
    method: raw.method as Method,
    path,
    params,
    query,
    headers: raw.headers,
    version,
    raw,
    async json<T>(): Promise<T | undefined> {
      const len = raw.headers['content-length'];
      const chunked = raw.headers['transfer-encoding'] !== undefined;
      const hasBody = chunked || (len !== undefined && len !== '0');
      checkJsonContentType(raw, hasBody);
      if (!hasBody) return undefined;
      const buf = upgradeBody ?? (await readAll(raw, JSON_BODY_LIMIT));
      return parseJson<T>(buf);
    },
  };
}

/**
 * `upgradeSocket` is set when the request came through the 'upgrade' event; `common` are the
 * headers every response carries (Api-Version, Server, …).
 */
export function makeResponse(
  req: IncomingMessage,
  res: ServerResponse,
  state: ResponseState,
  upgradeSocket: Duplex | undefined,
): ApiResponse {
  return {
    raw: res,
    json(status, body) {
      const data = escapeJSONHTML(JSON.stringify(body)) + '\n';
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) });
      res.end(data);
    },
    empty(status = 204) {
      res.writeHead(status);
      res.end();
    },
    text(status, body, contentType = 'text/plain; charset=utf-8') {
      res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    },
    stream(status, contentType, headers): Writable {
      res.writeHead(status, { ...headers, 'Content-Type': contentType });
      // Clients wait for the head before they show anything (events, pull progress).
      res.flushHeaders();
      state.streaming = true;
      return res;
    },
    async hijack(contentType) {
      if (state.hijacked) throw new Error('response already hijacked');
      const duplex = upgradeSocket ? acceptUpgrade(upgradeSocket, contentType) : acceptLegacy(req, res, contentType);
      state.hijacked = duplex;
      return duplex;
    },
    takeover() {
      if (!upgradeSocket || state.hijacked) return undefined;
      state.hijacked = upgradeSocket;
      return upgradeSocket;
    },
  };
}
