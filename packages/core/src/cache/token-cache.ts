/**
 * The token cache: lru-cache bounds it and gives single flight (concurrent misses share one fetch); this class
 * adds the token's life on top: refresh ahead, stale-if-error, backoff after failures, and invalidation on 401.
 */
import { LRUCache } from 'lru-cache';
import { invalidOption, positiveInteger } from '../config/validate.js';
import { isMcaError } from '../errors/index.js';
import type { TokenObserver } from '../observability/token-observer.js';
import type { DpopProver } from '../dpop/prover.js';
import type { IssuedToken, TokenProvider } from '../providers/issued-token.js';
import { abortable, abortedError } from './abortable.js';
import { backoffDelay, backoffPolicy, type BackoffPolicy } from './backoff.js';
import { CachedToken } from './cached-token.js';
import { timesFor, type LifetimePolicy, type TokenTimes } from './lifetime-policy.js';

/** Everything the cache needs to know to fetch and keep one key's token. */
export interface TokenSource {
  readonly key: string;
  readonly provider: TokenProvider;
  readonly lifetime: LifetimePolicy;
  readonly backoff: BackoffPolicy;
  readonly observer: TokenObserver;
  /** Set with the `dpop` option: tokens are DPoP-bound to this prover's key. */
  readonly dpop?: DpopProver;
  /** A token's refresh and end-of-use times, when this source decides them itself (token exchange caps them). */
  lifetimeOf?(token: IssuedToken): TokenTimes;
}

const DEFAULT_REJECTION_BACKOFF = backoffPolicy(undefined);

export interface TokenCacheOptions {
  /** How many tokens to keep. Default: 100. */
  max?: number;
  /** The clock, for tests. Default: `Date.now`. */
  now?: () => number;
}

interface RejectionState {
  readonly count: number;
  readonly nextHonouredAt: number;
}

interface FailureState {
  readonly failures: number;
  readonly retryAt: number;
  readonly error: unknown;
}

export class TokenCache {
  readonly #lru: LRUCache<string, CachedToken, TokenSource>;
  readonly #now: () => number;
  readonly #max: number;
  /** Keys whose last fetch failed: callers get that error at once until `retryAt`. */
  readonly #failures = new Map<string, FailureState>();
  /** Per key, an Authorization value a protected API rejected: it is not handed out again. */
  readonly #rejected = new Map<string, string>();
  /** Per key, how many tokens in a row a protected API rejected young, and when the next rejection may count. */
  readonly #rejections = new Map<string, RejectionState>();
  /** Keys with a background refresh under way, so the hot path does not ask lru-cache again. */
  readonly #refreshing = new Set<string>();
  /**
   * The last source a fresh hit was for, and its entry: the next hit for the same source is answered from here,
   * without lru-cache's lookup and recency update. In a client, between two requests, the CPU caches have been
   * filled with other work, so a hit costs about ten times what it costs in a tight loop (about 1.5 against
   * 0.15 µs here): every object it touches counts. Forgotten whenever an entry leaves or is replaced in lru-cache
   * (its `dispose`), and when a token is rejected or the cache cleared.
   */
  #hotSource: TokenSource | undefined;
  #hotEntry: CachedToken | undefined;

  /** Throws McaError `MCA_INVALID_OPTION` for options that are not `{ max?: whole number ≥ 1, now?: function }`. */
  constructor(options: TokenCacheOptions = {}) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw invalidOption('options', 'must be an object such as { max: 100 }');
    }
    this.#max = positiveInteger('cacheSize', options.max, 100, 10_000_000);
    if (options.now !== undefined && typeof options.now !== 'function') throw invalidOption('now', 'must be a function returning epoch milliseconds');
    this.#now = options.now ?? (() => Date.now());
    this.#lru = new LRUCache<string, CachedToken, TokenSource>({
      max: this.#max,
      fetchMethod: (_key, _stale, { context }) => this.#load(context),
      dispose: () => this.#forgetHot(),
      // Stale-if-error: a failed refresh leaves the still-valid token in place.
      noDeleteOnFetchRejection: true,
      // Evicting a key whose token is being fetched must not fail the callers waiting for it.
      ignoreFetchAbort: true,
      allowStaleOnFetchAbort: true,
    });
  }

  /** How many tokens it holds at most. */
  get max(): number {
    return this.#max;
  }

  /** How many tokens are cached. */
  get size(): number {
    return this.#lru.size;
  }

  /**
   * The Authorization value for a source: synchronously when a usable token is cached (the hot path allocates
   * nothing), else a promise of a fetched one. While a token is usable no caller ever waits for a fetch.
   */
  authorization(source: TokenSource, signal?: AbortSignal): string | Promise<string> {
    const entry = this.entry(source, signal);
    return entry instanceof CachedToken ? entry.authorization : entry.then((fetched) => fetched.authorization);
  }

  /** As `authorization`, the whole cache entry (its stamp, its `ath`): synchronously on a hit, else a promise. */
  entry(source: TokenSource, signal?: AbortSignal): CachedToken | Promise<CachedToken> {
    const now = this.#now();
    const hot = this.#hotSource === source ? this.#hotEntry : undefined;
    // Fresh: before its refresh point, and before its end of use (which a token issued already expired has first).
    if (hot !== undefined && now < hot.refreshAt && now < hot.usableUntil) {
      source.observer.hit(source.key, false);
      return hot;
    }
    const entry = this.#lru.get(source.key);
    if (entry !== undefined && now < entry.usableUntil && (this.#rejected.size === 0 || this.#rejected.get(source.key) !== entry.authorization)) {
      const stale = now >= entry.refreshAt;
      if (stale) {
        this.#refreshInBackground(source, now);
      } else {
        this.#hotSource = source;
        this.#hotEntry = entry;
      }
      source.observer.hit(source.key, stale);
      return entry;
    }
    source.observer.miss(source.key);
    return this.#fetchNow(source, now, signal);
  }

  /**
   * A protected API rejected this Authorization value: it is not handed out again, and the next caller fetches
   * a new token. Concurrent calls for the same value cause one fetch; a value already replaced is ignored.
   *
   * An API that rejects every token would otherwise cost a token request per request. So rejections of young
   * tokens back off like failures: the first is honoured at once, and each further one only after the backoff
   * delay for its count (meanwhile callers get the API's 401). A token that lived to its refresh point before
   * being rejected starts the count afresh.
   */
  invalidate(key: string, rejectedAuthorization: string, backoff: BackoffPolicy = DEFAULT_REJECTION_BACKOFF): void {
    const entry = this.#lru.peek(key);
    if (entry?.authorization !== rejectedAuthorization || this.#rejected.get(key) === rejectedAuthorization) return;
    const now = this.#now();
    const previous = now >= entry.refreshAt ? undefined : this.#rejections.get(key);
    if (previous !== undefined && now < previous.nextHonouredAt) return;
    const count = (previous?.count ?? 0) + 1;
    this.#rejections.delete(key);
    if (this.#rejections.size >= this.#max) this.#rejections.delete(this.#rejections.keys().next().value as string);
    this.#rejections.set(key, { count, nextHonouredAt: now + backoffDelay(backoff, count, undefined) });
    this.#rejected.set(key, rejectedAuthorization);
    this.#forgetHot();
  }

  /** Drops every token and every failure record. */
  clear(): void {
    this.#forgetHot();
    this.#lru.clear();
    this.#failures.clear();
    this.#rejected.clear();
    this.#rejections.clear();
  }

  #forgetHot(): void {
    this.#hotSource = undefined;
    this.#hotEntry = undefined;
  }

  #refreshInBackground(source: TokenSource, now: number): void {
    if (this.#refreshing.has(source.key) || this.#inBackoff(source.key, now)) return;
    this.#refreshing.add(source.key);
    source.observer.refreshStarted(source.key);
    this.#lru
      .fetch(source.key, { forceRefresh: true, context: source })
      .catch(() => undefined) // reported by #load; the cached token keeps serving until it expires
      .finally(() => this.#refreshing.delete(source.key));
  }

  async #fetchNow(source: TokenSource, now: number, signal: AbortSignal | undefined): Promise<CachedToken> {
    // A request already given up on must not cost a token request.
    if (signal?.aborted) throw abortedError(signal);
    const failure = this.#failures.get(source.key);
    if (failure !== undefined && now < failure.retryAt) throw failure.error;
    // Joins a fetch already under way for this key (single flight), else starts one.
    const fetched = this.#lru.fetch(source.key, { forceRefresh: true, context: source });
    return (await abortable(fetched, signal)) as CachedToken;
  }

  #inBackoff(key: string, now: number): boolean {
    const failure = this.#failures.get(key);
    return failure !== undefined && now < failure.retryAt;
  }

  async #load(source: TokenSource): Promise<CachedToken> {
    const { key, observer } = source;
    const started = this.#now();
    observer.requestStarted(key);
    try {
      // No caller's signal here: one caller giving up must not cancel the token the others wait for.
      const token = await source.provider.fetchToken();
      const entry = new CachedToken(token, source.lifetimeOf?.(token) ?? timesFor(token.issuedAt, token.expiresAt, source.lifetime), source);
      this.#failures.delete(key);
      this.#rejected.delete(key);
      observer.requestSucceeded(key, this.#now() - started, token.expiresAt);
      return entry;
    } catch (error) {
      const failures = (this.#failures.get(key)?.failures ?? 0) + 1;
      // Whole milliseconds, rounded up so that a server's Retry-After is never cut short.
      const delay = Math.ceil(backoffDelay(source.backoff, failures, isMcaError(error) ? error.retryAfterMs : undefined));
      this.#rememberFailure(key, { failures, retryAt: this.#now() + delay, error });
      observer.requestFailed(key, this.#now() - started, error, delay);
      throw error;
    }
  }

  #rememberFailure(key: string, state: FailureState): void {
    this.#failures.delete(key);
    if (this.#failures.size >= this.#max) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
    this.#failures.set(key, state);
  }
}

let processCache: TokenCache | undefined;

/** The process-wide cache that instances share unless given `cacheSize` or `cache`. */
export function processTokenCache(): TokenCache {
  return (processCache ??= new TokenCache());
}

/** A cache to share between instances explicitly (`cache` option). */
export function createTokenCache(options?: TokenCacheOptions): TokenCache {
  return new TokenCache(options);
}
