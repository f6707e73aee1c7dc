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
} as const;

export interface TokenRequestStartEvent { key: string }
export interface TokenRequestEndEvent { key: string; durationMs: number; expiresAt: number }
export interface TokenRequestErrorEvent { key: string; durationMs: number; code: string; message: string; status?: number; retryInMs: number }
export interface CacheEvent { key: string }
export interface StampedEvent { key: string; origin: string }
/** `no-match`: no route matches; `insecure`: plain http to a non-loopback host; `caller-authorization`: the caller set one. */
export interface SkippedEvent { reason: 'no-match' | 'insecure' | 'caller-authorization'; origin: string }

export const channels = {
  tokenRequestStart: diagnostics.channel(CHANNEL_NAMES.tokenRequestStart),
  tokenRequestEnd: diagnostics.channel(CHANNEL_NAMES.tokenRequestEnd),
  tokenRequestError: diagnostics.channel(CHANNEL_NAMES.tokenRequestError),
  cacheHit: diagnostics.channel(CHANNEL_NAMES.cacheHit),
  cacheMiss: diagnostics.channel(CHANNEL_NAMES.cacheMiss),
  cacheRefresh: diagnostics.channel(CHANNEL_NAMES.cacheRefresh),
  stamped: diagnostics.channel(CHANNEL_NAMES.stamped),
  skipped: diagnostics.channel(CHANNEL_NAMES.skipped),
};
