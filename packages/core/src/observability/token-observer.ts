/** Reports the life of tokens to diagnostics channels and to the user's logger, in one place. */
import { channels } from './channels.js';
import { loggerOption, type McaLogger } from './logger.js';
import { isMcaError } from '../errors/index.js';

export interface TokenObserver {
  requestStarted(key: string): void;
  requestSucceeded(key: string, durationMs: number, expiresAt: number): void;
  requestFailed(key: string, durationMs: number, error: unknown, retryInMs: number): void;
  refreshStarted(key: string): void;
  hit(key: string): void;
  miss(key: string): void;
}

/** @param name the route's name, carried by every event beside the key (see `RouteOptions.name`). */
export function createTokenObserver(given: McaLogger | undefined, name: string): TokenObserver {
  const logger = loggerOption(given);
  return {
    requestStarted(key) {
      if (channels.tokenRequestStart.hasSubscribers) channels.tokenRequestStart.publish({ key, name });
      logger?.debug?.('mca-oauth: requesting a token', { key, name });
    },
    requestSucceeded(key, durationMs, expiresAt) {
      if (channels.tokenRequestEnd.hasSubscribers) channels.tokenRequestEnd.publish({ key, name, durationMs, expiresAt });
      logger?.info?.('mca-oauth: got a token', { key, name, durationMs, expiresAt: new Date(expiresAt).toISOString() });
    },
    requestFailed(key, durationMs, error, retryInMs) {
      const code = isMcaError(error) ? error.code : 'UNKNOWN';
      const message = error instanceof Error ? error.message : 'token request failed';
      const status = isMcaError(error) ? error.status : undefined;
      if (channels.tokenRequestError.hasSubscribers) {
        channels.tokenRequestError.publish({ key, name, durationMs, code, message, retryInMs, ...(status !== undefined && { status }) });
      }
      logger?.error?.('mca-oauth: token request failed', { key, name, durationMs, code, message, retryInMs });
    },
    refreshStarted(key) {
      if (channels.cacheRefresh.hasSubscribers) channels.cacheRefresh.publish({ key, name });
      logger?.debug?.('mca-oauth: refreshing a token ahead of expiry', { key, name });
    },
    hit(key) {
      if (channels.cacheHit.hasSubscribers) channels.cacheHit.publish({ key, name });
    },
    miss(key) {
      if (channels.cacheMiss.hasSubscribers) channels.cacheMiss.publish({ key, name });
    },
  };
}
