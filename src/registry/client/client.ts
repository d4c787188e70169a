/**
 * RegistryClient: the typed entry point to OCI Distribution / Docker Registry v2 registries. It
 * owns the keep-alive transport, the token cache and the endpoint choices, so one long-lived
 * instance serves the whole daemon; credentials can be given per call (the Engine API passes
 * them per request in X-Registry-Auth) or once at construction (a CLI reading config.json).
 */
import type { Readable } from 'node:stream';
import { EngineError } from '../../common/errors.js';
import type { BlobSource } from '../../containerd/content/helpers.js';
import type { Descriptor } from '../../oci/image-spec.js';
import { parseNormalizedNamed, tagNameOnly, type Reference } from '../reference/index.js';
import type { AuthConfig, CredentialStore } from './credentials.js';
import { convertToHostname } from './credentials.js';
import { Transport } from './http.js';
import { RegistryHosts } from './hosts.js';
import { type PlatformSpec } from './platform.js';
import * as pull from './pull.js';
import * as push from './push.js';
import { Session } from './session.js';

export interface RegistryClientOptions {
  /** Host names (`host:port`) and CIDRs of registries that may use plain HTTP or unverified TLS. */
  insecureRegistries?: string[];
  /** Pull-through mirrors for Docker Hub, e.g. `https://mirror.example.com`. */
  mirrors?: string[];
  /** Directories holding `<host:port>/ca.crt|client.cert|client.key` (default Docker's and Skiff's). */
  certsDirs?: string[];
  credentials?: CredentialStore;
  userAgent?: string;
  /** Attempts per request on connection errors (default 3). */
  attempts?: number;
  /** Socket inactivity timeout in ms (default 60 s). */
  timeoutMs?: number;
}

export interface CallOptions {
  /** Overrides the client's credential store for this call. */
  credentials?: CredentialStore;
}

export interface ResolveOptions extends CallOptions {
  platform?: PlatformSpec;
}

export interface LoginResult {
  status: 'Login Succeeded';
  identityToken?: string;
}

export type RefLike = Reference | string;

function toRef(ref: RefLike): Reference {
  return typeof ref === 'string' ? parseNormalizedNamed(ref) : ref;
}

export class RegistryClient {
  readonly #session: Session;
  readonly #credentials: CredentialStore | undefined;

  constructor(opts: RegistryClientOptions = {}) {
    const hosts = new RegistryHosts({
      ...(opts.insecureRegistries ? { insecureRegistries: opts.insecureRegistries } : {}),
      ...(opts.mirrors ? { mirrors: opts.mirrors } : {}),
      ...(opts.certsDirs ? { certsDirs: opts.certsDirs } : {}),
    });
    const transport = new Transport({
      userAgent: opts.userAgent ?? 'skiff',
      ...(opts.attempts !== undefined ? { attempts: opts.attempts } : {}),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    });
    this.#session = new Session(hosts, transport);
    this.#credentials = opts.credentials;
  }

  #creds(ref: Reference, opts: CallOptions | undefined): Promise<AuthConfig | undefined> {
    return this.#session.credentialsFor(ref.domain, opts?.credentials ?? this.#credentials);
  }

  /** Resolves a reference (a bare name means `:latest`) to the image manifest for a platform. */
  async resolve(ref: RefLike, opts: ResolveOptions = {}): Promise<pull.ResolvedImage> {
    const r = tagNameOnly(toRef(ref));
    return pull.resolve(this.#session, r, await this.#creds(r, opts), opts.platform);
  }

  /** The top-level descriptor of a reference, by HEAD (for `docker manifest inspect`-like uses). */
  async head(ref: RefLike, opts: CallOptions = {}): Promise<Descriptor> {
    const r = tagNameOnly(toRef(ref));
    return pull.headManifest(this.#session, r, await this.#creds(r, opts));
  }

  /** Fetches one manifest or index by the reference's digest or tag, verified. */
  async fetchManifest(ref: RefLike, opts: CallOptions = {}): Promise<pull.FetchedManifest> {
    const r = tagNameOnly(toRef(ref));
    return pull.fetchManifest(this.#session, r, await this.#creds(r, opts));
  }

  /** A blob as a stream that errors unless its size and digest match `desc`. */
  async fetchBlob(ref: RefLike, desc: Pick<Descriptor, 'digest' | 'size'>, opts: CallOptions = {}): Promise<Readable> {
    const r = toRef(ref);
    return pull.fetchBlob(this.#session, r, desc, await this.#creds(r, opts));
  }

  /** A resumable blob source for the content store's `writeBlob` (which verifies on commit). */
  async blobSource(ref: RefLike, desc: Pick<Descriptor, 'digest'>, opts: CallOptions = {}): Promise<BlobSource> {
    const r = toRef(ref);
    return pull.blobSource(this.#session, r, desc, await this.#creds(r, opts));
  }

  async blobExists(ref: RefLike, desc: Pick<Descriptor, 'digest'>, opts: CallOptions = {}): Promise<boolean> {
    const r = toRef(ref);
    return push.blobExists(this.#session, r, desc, await this.#creds(r, opts));
  }

  /** Uploads a blob unless present; `open` is called again if the upload must restart. */
  async pushBlob(ref: RefLike, desc: Pick<Descriptor, 'digest' | 'size'>, open: () => Readable, opts: CallOptions & { mountFrom?: RefLike; chunkSize?: number } = {}): Promise<void> {
    const r = toRef(ref);
    const pushOpts: push.PushBlobOptions = {
      ...(opts.mountFrom !== undefined ? { mountFrom: toRef(opts.mountFrom) } : {}),
      ...(opts.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {}),
    };
    return push.pushBlob(this.#session, r, desc, open, await this.#creds(r, opts), pushOpts);
  }

  /** Uploads a manifest by the reference's digest or tag; returns its digest. */
  async pushManifest(ref: RefLike, raw: Buffer, mediaType: string, opts: CallOptions = {}): Promise<string> {
    const r = toRef(ref);
    return push.pushManifest(this.#session, r, raw, mediaType, await this.#creds(r, opts));
  }

  /**
   * Checks credentials against a registry's `/v2/` (for `POST /auth`): Basic registries must
   * accept them, token registries must issue a token for them.
   */
  async login(serverAddress: string, username: string, password: string): Promise<LoginResult> {
    let host = convertToHostname(serverAddress);
    if (host === 'index.docker.io') host = 'docker.io';
    const creds: AuthConfig = { username, password };
    const s = this.#session;
    return s.withEndpoints(host, 'push', async (ep) => {
      const challenge = s.auth.challengeFor(ep.url.origin);
      if (challenge === undefined) return { status: 'Login Succeeded' as const };
      let authorization: string;
      let identityToken: string | undefined;
      if (challenge.scheme === 'bearer') {
        const token = await s.auth.fetchToken(challenge, [], creds);
        authorization = `Bearer ${token.token || token.access_token}`;
        identityToken = token.refresh_token;
      } else {
        authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
      }
      const res = await s.transport.request({
        method: 'GET', url: new URL('/v2/', ep.url), headers: { Authorization: authorization }, ...(ep.tls ? { tls: ep.tls } : {}),
      });
      res.body.resume();
      if (res.status === 401 || res.status === 403) {
        throw new EngineError('unauthorized', `login attempt to ${ep.url.origin}/v2/ failed with status: ${res.status} ${res.status === 401 ? 'Unauthorized' : 'Forbidden'}`);
      }
      if (res.status !== 200) throw new EngineError('unavailable', `login attempt to ${ep.url.origin}/v2/ failed with status: ${res.status}`);
      return { status: 'Login Succeeded' as const, ...(identityToken ? { identityToken } : {}) };
    });
  }

  /** Closes idle connections. */
  close(): void {
    this.#session.transport.close();
  }
}
