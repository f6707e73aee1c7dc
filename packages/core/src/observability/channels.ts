/**
 * The `node:diagnostics_channel` channels mca-oauth publishes on. Payloads carry the token's cache key (a hash)
 * and timings, never a secret or a token. Per-request channels cost nothing while nobody subscribes.
 */
import diagnostics from 'node:diagnostics_channel';

export const CHANNEL_NAMES = {
  tokenRequestStart: 'mca-oauth:token:start',
  tokenRequestEnd: 'mca-oauth:token:end',
  tokenRequestError: 'mca-oauth:token:error',
  cacheHit: 'mca-oauth:cache:hit',
  cacheMiss: 'mca-oauth:cache:miss',
  cacheRefresh: 'mca-oauth:cache:refresh',
  stamped: 'mca-oauth:request:stamped',
  skipped: 'mca-oauth:request:skipped',
  storeAdopt: 'mca-oauth:store:adopt',
  storeError: 'mca-oauth:store:error',
} as const;

/*
 * `key`: the token's opaque cache key (a hash). `name`: the route's name (`RouteOptions.name`; by default its
 * match's origin and path, e.g. `https://api.example.com/orders/`, or `predicate#1`; `seed` for the seed API).
 * When routes share one token, token and cache events carry the name of the first route that needs it.
 */
export interface TokenRequestStartEvent { key: string; name: string }
export interface TokenRequestEndEvent { key: string; name: string; durationMs: number; expiresAt: number }
/** `retryInMs`: whole milliseconds until the next token request for this key is allowed (backoff, Retry-After). */
export interface TokenRequestErrorEvent { key: string; name: string; durationMs: number; code: string; message: string; status?: number; retryInMs: number }
export interface CacheEvent { key: string; name: string }
/**
 * Published once a token was set on a request: at once on a cache hit, and when the token arrives on a miss;
 * never for a request whose token request failed (see `mca-oauth:token:error`).
 */
export interface StampedEvent { key: string; name: string; origin: string }
/**
 * `no-match`: no route matches; `insecure`: plain http to a non-loopback host; `caller-authorization`: the caller set one.
 * `name`: the route that matched, for `insecure` and `caller-authorization`.
 */
export interface SkippedEvent { reason: 'no-match' | 'insecure' | 'caller-authorization'; origin: string; name?: string }

/** A token came from the shared store (`store` option): no token request was made for it. */
export interface StoreAdoptEvent { key: string; name?: string }
/**
 * The shared store failed (down, slow, unreadable value); mca-oauth went on without it. `operation` says which
 * step failed; `code` is the store's error code (e.g. `MCA_STORE_TIMEOUT`) or `UNKNOWN`.
 */
export interface StoreErrorEvent { key: string; name?: string; operation: 'get' | 'set' | 'lock' | 'unlock' | 'wait'; code: string; message: string }

export const channels = {
  tokenRequestStart: diagnostics.channel(CHANNEL_NAMES.tokenRequestStart),
  tokenRequestEnd: diagnostics.channel(CHANNEL_NAMES.tokenRequestEnd),
  tokenRequestError: diagnostics.channel(CHANNEL_NAMES.tokenRequestError),
  cacheHit: diagnostics.channel(CHANNEL_NAMES.cacheHit),
  cacheMiss: diagnostics.channel(CHANNEL_NAMES.cacheMiss),
  cacheRefresh: diagnostics.channel(CHANNEL_NAMES.cacheRefresh),
  stamped: diagnostics.channel(CHANNEL_NAMES.stamped),
  skipped: diagnostics.channel(CHANNEL_NAMES.skipped),
  storeAdopt: diagnostics.channel(CHANNEL_NAMES.storeAdopt),
  storeError: diagnostics.channel(CHANNEL_NAMES.storeError),
};
