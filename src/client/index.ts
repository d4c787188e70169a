/**
 * skiff's Engine API client: transports (unix, tcp, TLS), version negotiation, JSON and stream
 * helpers, hijacked connections, docker's config file and context store.
 */
export { Client, CLIENT_API_VERSION, compareVersions, encodeQuery, jsonLinesOf, readAll, type CallOptions, type Ping, type QueryValue } from './client.js';
export { ApiError, ConnectError, apiErrorFrom } from './errors.js';
export { DEFAULT_HOST, parseHost, tlsSettings, type Endpoint, type TLSSettings } from './transport.js';
export { configDir, loadConfig, saveConfig, registryAuthHeader, registryKey, type ConfigFile } from './config.js';
export { ContextStore, contextDirName, DEFAULT_CONTEXT, type ContextMeta } from './contexts.js';
export { connect, resolveContextName, resolveEndpoint, type ConnectOptions, type Resolved } from './connect.js';
