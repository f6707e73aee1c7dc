/** McaError: the one error class of mca-oauth, carrying a stable code and never a secret. */
import type { McaErrorCode } from './codes.js';

/** What an OAuth server sent in its error body (RFC 6749 §5.2). */
export interface OAuthErrorBody {
  readonly error: string;
  readonly error_description?: string;
  readonly error_uri?: string;
}

export interface McaErrorDetails {
  cause?: unknown;
  /** HTTP status of the token or discovery response, when there was one. */
  status?: number;
  /** The error the OAuth server sent (RFC 6749 §5.2). */
  oauthError?: OAuthErrorBody;
  /** How long the server asked us to wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** The cache key (a hash, never a secret) of the token this error is about. */
  tokenKey?: string;
}

const MCA_ERROR_BRAND = Symbol.for('@mca-oauth/core.McaError');

export class McaError extends Error {
  readonly code: McaErrorCode;
  declare readonly status?: number;
  declare readonly oauthError?: OAuthErrorBody;
  declare readonly retryAfterMs?: number;
  declare readonly tokenKey?: string;

  constructor(code: McaErrorCode, message: string, details: McaErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'McaError';
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.oauthError !== undefined) this.oauthError = details.oauthError;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.tokenKey !== undefined) this.tokenKey = details.tokenKey;
    Object.defineProperty(this, MCA_ERROR_BRAND, { value: true });
  }
}

/**
 * True for an McaError from any loaded copy of core; prefer this (or `err.code`) to `instanceof`,
 * which fails when an app has two versions of core.
 */
export function isMcaError(value: unknown): value is McaError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MCA_ERROR_BRAND] === true;
}
