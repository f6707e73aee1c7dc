/**
 * `withSharedStore`: a token provider that asks a shared store before the token server, so that a fleet of
 * processes makes one token request per token, not one per process; and that goes straight to the token server
 * whenever the store fails, so the store can never fail a request.
 */
import { lifetimePolicy, timesFor, type LifetimePolicy } from '../cache/lifetime-policy.js';
import type { IssuedToken, TokenProvider } from '../providers/issued-token.js';
import type { SharedTokenLock, SharedTokenStore } from './shared-token-store.js';
import { createSharedStoreObserver, type SharedStoreObserver, type StoreOperation } from './store-observer.js';
import { sharedStoreOption } from './store-option.js';
import { checkOptionNames } from '../config/known-options.js';
import { invalidOption } from '../config/validate.js';

export interface SharedStoreOptions {
  /** Reports tokens taken from the store and store failures. Default: the `mca-oauth:store:*` diagnostics channels. */
  observer?: SharedStoreObserver;
  /**
   * As core's `clockSkewMs`: a stored token's TTL ends this long before it expires (at most 10% of its life), the
   * moment the in-process cache stops handing it out. Default: 30000.
   */
  clockSkewMs?: number;
  /** The clock, for tests. Default: `Date.now`. */
  now?: () => number;
}

/**
 * A waiter that sees the lock let go with no token (its holder failed or died) tries to take the lock this many
 * times before it requests its own token, so a failing token server sees one request at a time, not a herd.
 */
const MAX_LOCK_ROUNDS = 3;

const FAILED = Symbol('store failed');
type Attempt<T> = T | typeof FAILED;

class SharedStoreProvider implements TokenProvider {
  readonly cacheKey: string;
  readonly #provider: TokenProvider;
  readonly #store: SharedTokenStore;
  readonly #observer: SharedStoreObserver;
  readonly #lifetime: LifetimePolicy;
  readonly #now: () => number;
  /**
   * Expiry of the token this provider last gave the cache. A stored token is taken only when it expires later:
   * the one the cache already has is due for refresh, or was rejected by a protected API (a 401).
   */
  #lastExpiresAt: number | undefined;

  constructor(provider: TokenProvider, store: SharedTokenStore, options: SharedStoreOptions) {
    this.cacheKey = provider.cacheKey;
    this.#provider = provider;
    this.#store = store;
    this.#observer = options.observer ?? createSharedStoreObserver();
    this.#lifetime = lifetimePolicy(undefined, options.clockSkewMs);
    this.#now = options.now ?? (() => Date.now());
  }

  async fetchToken(signal?: AbortSignal): Promise<IssuedToken> {
    const token = await this.#obtain(signal);
    this.#lastExpiresAt = token.expiresAt;
    return token;
  }

  readonly #isWanted = (token: IssuedToken): boolean =>
    this.#now() < this.#usableUntil(token) && (this.#lastExpiresAt === undefined || token.expiresAt > this.#lastExpiresAt);

  async #obtain(signal: AbortSignal | undefined): Promise<IssuedToken> {
    const stored = await this.#attempt('get', () => this.#store.get(this.cacheKey));
    if (stored !== FAILED && stored !== undefined && this.#isWanted(stored)) return this.#adopt(stored);
    for (let round = 0; round < MAX_LOCK_ROUNDS; round += 1) {
      const lock = await this.#attempt('lock', () => this.#store.lock(this.cacheKey));
      if (lock === FAILED) break;
      if (lock !== undefined) return this.#fetchHolding(lock, signal);
      const waited = await this.#attempt('wait', () => this.#store.waitForToken(this.cacheKey, this.#isWanted));
      if (waited === FAILED || waited.outcome === 'timeout') break;
      if (waited.outcome === 'token') return this.#adopt(waited.token);
    }
    // The store is down, or the process holding the lock is too slow: never hang a request on it.
    return this.#provider.fetchToken(signal);
  }

  async #fetchHolding(lock: SharedTokenLock, signal: AbortSignal | undefined): Promise<IssuedToken> {
    try {
      // Another process may have stored a token and let go of the lock between our read and our lock.
      const stored = await this.#attempt('get', () => this.#store.get(this.cacheKey));
      if (stored !== FAILED && stored !== undefined && this.#isWanted(stored)) return this.#adopt(stored);
      const token = await this.#provider.fetchToken(signal);
      const ttlMs = Math.floor(this.#usableUntil(token) - this.#now());
      if (ttlMs > 0) await this.#attempt('set', () => this.#store.set(this.cacheKey, token, ttlMs));
      return token;
    } finally {
      // Set before release: waiters see the token, not a free lock, and do not request one themselves.
      await this.#attempt('unlock', () => lock.release());
    }
  }

  #adopt(token: IssuedToken): IssuedToken {
    this.#observer.adopted(this.cacheKey);
    return token;
  }

  #usableUntil(token: IssuedToken): number {
    return timesFor(token.issuedAt, token.expiresAt, this.#lifetime).usableUntil;
  }

  async #attempt<T>(operation: StoreOperation, run: () => Promise<T>): Promise<Attempt<T>> {
    try {
      return await run();
    } catch (error) {
      this.#observer.failed(this.cacheKey, operation, error);
      return FAILED;
    }
  }
}

/**
 * Wraps a token provider so that processes share its tokens through `store`: a process takes a token another one
 * stored; else one process (the lock holder) requests it and the others wait for it, then fall back to their own
 * request after the store's time limit. Refreshing ahead of expiry goes the same way, so it happens once per
 * fleet. Any store failure is reported (`mca-oauth:store:error`) and the token is requested directly.
 *
 * Core applies it when the `store` option is set; call it yourself only for a provider of your own.
 */
export function withSharedStore(provider: TokenProvider, store: SharedTokenStore, options: SharedStoreOptions = {}): TokenProvider {
  const isProvider = typeof provider === 'object' && provider !== null && typeof provider.fetchToken === 'function' && typeof provider.cacheKey === 'string';
  if (!isProvider) throw invalidOption('provider', 'must be a TokenProvider: { cacheKey: string, fetchToken(signal) }');
  sharedStoreOption(store);
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'must be an object such as { clockSkewMs: 30000 }');
  checkOptionNames(options, ['observer', 'clockSkewMs', 'now'], 'options');
  const observer = options.observer as Partial<SharedStoreObserver> | undefined;
  if (observer !== undefined && (typeof observer?.adopted !== 'function' || typeof observer.failed !== 'function')) {
    throw invalidOption('observer', 'must be a SharedStoreObserver with adopted and failed functions (see createSharedStoreObserver)');
  }
  if (options.now !== undefined && typeof options.now !== 'function') throw invalidOption('now', 'must be a function returning epoch milliseconds');
  return new SharedStoreProvider(provider, store, options);
}
