/**
 * The contract between the Engine API server and its handlers. A handler parses and validates
 * the request (failures throw EngineError 'invalid-argument'), calls one service method, converts
 * the result with a pure function and writes it. Handlers never pick an error status: they throw,
 * and the server maps the error kind to the status in one table.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex, Writable } from 'node:stream';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRequest {
  method: Method;
  /** The path without the /vX.Y prefix. */
  path: string;
  /** Path parameters; `{name:.*}` parameters may contain slashes (image names). */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The API version the client asked for ("1.47"), or the daemon's current one when unversioned. */
  version: string;
  /** Parses the JSON body (empty body → undefined); malformed JSON → invalid-argument. */
  json<T = unknown>(): Promise<T | undefined>;
  /** The raw body stream (build contexts, image tarballs, archives). */
  raw: IncomingMessage;
}

export interface ApiResponse {
  json(status: number, body: unknown): void;
  /** 204, or another empty-bodied status. */
  empty(status?: number): void;
  text(status: number, body: string, contentType?: string): void;
  /**
   * Starts a streamed response (pull progress, logs, events, export). Everything that can fail
   * must be settled before this call; afterwards errors travel in-band.
   */
  stream(status: number, contentType: string, headers?: Record<string, string>): Writable;
  /**
   * Takes over the connection for attach/exec start: answers `101 UPGRADED` when the client sent
   * `Upgrade: tcp`, else `200 OK` with the given content type, then hands over the raw socket.
   */
  hijack(contentType: string): Promise<Duplex>;
  /**
   * For a request that came with an `Upgrade` header: takes the connection as it is, with no
   * answer written (a websocket handshake writes its own); undefined for any other request.
   */
  takeover(): Duplex | undefined;
  raw: ServerResponse;
}

export interface Route {
  method: Method;
  /** Pattern such as `/containers/{id}/json` or `/images/{name:.*}/json`. */
  path: string;
  /** Lowest API version serving this route (400 below it, as moby's WithMinimumAPIVersion). */
  minVersion?: string;
  handler(req: ApiRequest, res: ApiResponse): Promise<void>;
}
