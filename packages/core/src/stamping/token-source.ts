/** Builds the cache's view of one token configuration: its provider, lifetime and backoff policies, observer. */
import type { BackoffPolicy } from '../cache/backoff.js';
import type { LifetimePolicy } from '../cache/lifetime-policy.js';
import type { TokenSource } from '../cache/token-cache.js';
import type { ResolvedTokenConfig } from '../config/resolve.js';
import type { TokenRequestTarget } from '../observability/channels.js';
import type { McaLogger } from '../observability/logger.js';
import { createTokenObserver } from '../observability/token-observer.js';
import { ClientCredentialsProvider } from '../providers/client-credentials.js';
import { withSharedStore, type SharedStoreObserver, type SharedTokenStore } from '../shared-store/index.js';

export interface SourcePolicies {
  readonly lifetime: LifetimePolicy;
  readonly backoff: BackoffPolicy;
  readonly logger?: McaLogger | undefined;
}

/** The `store` option, with what its decorator needs. */
export interface SharedStoreSetting {
  readonly store: SharedTokenStore;
  readonly observer: SharedStoreObserver;
  readonly clockSkewMs: number;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'https:': 443, 'http:': 80 };

/** Where this configuration's token requests go, for events: the endpoint when known, else the issuer to discover it from. */
function targetOf(config: ResolvedTokenConfig, route: string | undefined): TokenRequestTarget {
  const url = config.tokenEndpoint ?? config.issuer;
  return {
    serverAddress: url?.hostname.replace(/^\[|\]$/g, '') ?? 'unknown',
    serverPort: url === undefined ? 0 : url.port === '' ? (DEFAULT_PORTS[url.protocol] ?? 0) : Number(url.port),
    grantType: 'client_credentials',
    ...(route !== undefined && { route }),
  };
}

/** `route`: the name of the (first) route that uses this token, for events. */
export function createTokenSource(config: ResolvedTokenConfig, policies: SourcePolicies, shared?: SharedStoreSetting, route?: string): TokenSource {
  const direct = new ClientCredentialsProvider(config);
  const provider =
    shared === undefined ? direct : withSharedStore(direct, shared.store, { observer: shared.observer, clockSkewMs: shared.clockSkewMs });
  const observer = createTokenObserver(policies.logger, targetOf(config, route));
  return { key: config.cacheKey, provider, lifetime: policies.lifetime, backoff: policies.backoff, observer };
}
