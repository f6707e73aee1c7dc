/** Builds the cache's view of one token configuration: its provider, lifetime and backoff policies, observer. */
import type { BackoffPolicy } from '../cache/backoff.js';
import type { LifetimePolicy } from '../cache/lifetime-policy.js';
import type { TokenSource } from '../cache/token-cache.js';
import type { ResolvedTokenConfig } from '../config/resolve.js';
import type { TokenRequestTarget } from '../observability/channels.js';
import type { TokenObserver } from '../observability/token-observer.js';
import { ClientCredentialsProvider } from '../providers/client-credentials.js';
import { withSharedStore, type SharedStoreObserver, type SharedTokenStore } from '../shared-store/index.js';

export interface SourcePolicies {
  readonly lifetime: LifetimePolicy;
  readonly backoff: BackoffPolicy;
  readonly observer: TokenObserver;
}

/** The `store` option, with what its decorator needs. */
export interface SharedStoreSetting {
  readonly store: SharedTokenStore;
  readonly observer: SharedStoreObserver;
  readonly clockSkewMs: number;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'https:': 443, 'http:': 80 };

/** Where a configuration's token requests go, for events: the endpoint when known, else the issuer to discover it from. */
export function tokenRequestTarget(config: ResolvedTokenConfig): TokenRequestTarget {
  const url = config.tokenEndpoint ?? config.issuer;
  return {
    serverAddress: url?.hostname.replace(/^\[|\]$/g, '') ?? 'unknown',
    serverPort: url === undefined ? 0 : url.port === '' ? (DEFAULT_PORTS[url.protocol] ?? 0) : Number(url.port),
    grantType: 'client_credentials',
  };
}

export function createTokenSource(config: ResolvedTokenConfig, policies: SourcePolicies, shared?: SharedStoreSetting): TokenSource {
  const direct = new ClientCredentialsProvider(config);
  const provider =
    shared === undefined ? direct : withSharedStore(direct, shared.store, { observer: shared.observer, clockSkewMs: shared.clockSkewMs });
  return { key: config.cacheKey, provider, ...policies, ...(config.dpop !== undefined && { dpop: config.dpop }) };
}
