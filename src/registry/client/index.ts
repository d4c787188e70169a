/**
 * The registry client: pull (resolve, manifests, blobs), push (blobs with mount and chunked
 * upload, manifests), auth (Basic, Bearer tokens) and credentials from Docker's config file.
 */
export { RegistryClient, type RegistryClientOptions, type CallOptions, type ResolveOptions, type LoginResult, type RefLike } from './client.js';
export type { ResolvedImage, FetchedManifest } from './pull.js';
export { MAX_MANIFEST_SIZE } from './pull.js';
export {
  DockerConfigCredentials, StaticCredentials, convertToHostname, dockerConfigDir, loadDockerConfig, runCredentialHelper,
  type AuthConfig, type CredentialStore, type DockerConfigFile,
} from './credentials.js';
export {
  defaultPlatform, formatPlatform, normalizePlatform, parsePlatform, platformVector, selectManifest, type PlatformSpec,
} from './platform.js';
export { RegistryHosts, authServerAddress, registryHost, cidrContains, DEFAULT_CERTS_DIRS, DOCKER_HUB_AUTH_KEY } from './hosts.js';
export { parseChallenges, type Challenge } from './auth.js';
export { TransportError, isTransportError, formatRegistryErrors } from './errors.js';
export { VerifyingStream } from './verify.js';
