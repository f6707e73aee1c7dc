/** Reports the life of tokens to diagnostics channels and to the user's logger, in one place. */
import { channels, type TokenRequestTarget } from './channels.js';
import { routeCounts } from './counts.js';
import { loggerOption, type McaLogger } from './logger.js';
import { isMcaError } from '../errors/index.js';

export interface TokenObserver {
  requestStarted(key: string): void;
  requestSucceeded(key: string, durationMs: number, expiresAt: number): void;
  requestFailed(key: string, durationMs: number, error: unknown, retryInMs: number): void;
  refreshStarted(key: string): void;
  /** `stale`: the token is past its refresh point (a refresh is under way or backing off). */
  hit(key: string, stale?: boolean): void;
  miss(key: string): void;
}

/** What token events say of a source whose target nobody gave (a cache used without a stamper, in tests). */
const UNKNOWN_TARGET: TokenRequestTarget = { serverAddress: 'unknown', serverPort: 0, grantType: 'client_credentials' };

/**
 * @param name the route's name, carried by every event beside the key (see `RouteOptions.name`).
 * @param target where and how this source's tokens are requested, carried by every token event.
 */
export function createTokenObserver(given: McaLogger | undefined, name: string, target: TokenRequestTarget = UNKNOWN_TARGET): TokenObserver {
  const logger = loggerOption(given);
  const counts = routeCounts(name);
  return {
    requestStarted(key) {
      // Published synchronously in the async context of the first caller that waits, so that a tracer's active
      // span there is the application request the token request is for.
      if (channels.tokenRequestStart.hasSubscribers) channels.tokenRequestStart.publish({ key, name, ...target });
      logger?.debug?.('mca-oauth: requesting a token', { key, name });
    },
    requestSucceeded(key, durationMs, expiresAt) {
      if (channels.tokenRequestEnd.hasSubscribers) channels.tokenRequestEnd.publish({ key, name, ...target, durationMs, expiresAt });
      logger?.info?.('mca-oauth: got a token', { key, name, durationMs, expiresAt: new Date(expiresAt).toISOString() });
    },
    requestFailed(key, durationMs, error, retryInMs) {
      const code = isMcaError(error) ? error.code : 'UNKNOWN';
      const message = error instanceof Error ? error.message : 'token request failed';
      const status = isMcaError(error) ? error.status : undefined;
      if (channels.tokenRequestError.hasSubscribers) {
        channels.tokenRequestError.publish({ key, name, ...target, durationMs, code, message, retryInMs, ...(status !== undefined && { status }) });
      }
      logger?.error?.('mca-oauth: token request failed', { key, name, durationMs, code, message, retryInMs });
    },
    refreshStarted(key) {
      counts.refresh++;
      if (channels.cacheRefresh.hasSubscribers) channels.cacheRefresh.publish({ key, name });
      logger?.debug?.('mca-oauth: refreshing a token ahead of expiry', { key, name });
    },
    hit(key, stale = false) {
      if (stale) counts.stale++;
      else counts.hit++;
      if (channels.cacheHit.hasSubscribers) channels.cacheHit.publish({ key, name, stale });
    },
    miss(key) {
      counts.miss++;
      if (channels.cacheMiss.hasSubscribers) channels.cacheMiss.publish({ key, name });
    },
  };
}
