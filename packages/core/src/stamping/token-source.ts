/** Builds the cache's view of one token configuration: its provider, lifetime and backoff policies, observer. */
import type { BackoffPolicy } from '../cache/backoff.js';
import type { LifetimePolicy } from '../cache/lifetime-policy.js';
import type { TokenSource } from '../cache/token-cache.js';
import type { ResolvedTokenConfig } from '../config/resolve.js';
import type { TokenObserver } from '../observability/token-observer.js';
import { ClientCredentialsProvider } from '../providers/client-credentials.js';

export interface SourcePolicies {
  readonly lifetime: LifetimePolicy;
  readonly backoff: BackoffPolicy;
  readonly observer: TokenObserver;
}

export function createTokenSource(config: ResolvedTokenConfig, policies: SourcePolicies): TokenSource {
  return { key: config.cacheKey, provider: new ClientCredentialsProvider(config), ...policies };
}
