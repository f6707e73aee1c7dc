/** McaError: the one error class of mca-oauth, carrying a stable code and never a secret. */
import { McaErrorCodes, type McaErrorCode } from './codes.js';

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
  /** For an option error, the option's path as the caller wrote it: `scope`, `routes[1].scope`, `mca.routes[1].match`. */
  option?: string;
}

const MCA_ERROR_BRAND = Symbol.for('@mca-oauth/core.McaError');

export class McaError extends Error {
  readonly code: McaErrorCode;
  declare readonly status?: number;
  declare readonly oauthError?: OAuthErrorBody;
  declare readonly retryAfterMs?: number;
  declare readonly tokenKey?: string;
  declare readonly option?: string;

  constructor(code: McaErrorCode, message: string, details: McaErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'McaError';
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.oauthError !== undefined) this.oauthError = details.oauthError;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.tokenKey !== undefined) this.tokenKey = details.tokenKey;
    if (details.option !== undefined) this.option = details.option;
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

/**
 * The same option error, named from the level above the options it was raised for: `scope` under `routes[1].`
 * becomes `routes[1].scope`, and that under `mca.` becomes `mca.routes[1].scope` (`options`, the whole object, becomes
 * `mca`). Anything else comes back as it was.
 */
export function optionErrorUnder(error: unknown, prefix: string): unknown {
  if (typeof prefix !== 'string') throw new McaError(McaErrorCodes.INVALID_OPTION, "optionErrorUnder's prefix must be a string such as 'mca.'", { option: 'prefix' });
  if (!isMcaError(error) || error.option === undefined) return error;
  // `options`, the whole object, is the level above's own name: `mca`.
  const option = error.option === 'options' ? prefix.replace(/\.$/, '') : `${prefix}${error.option}`;
  // A function, so that a `$` in a name the caller typed is not read as a replacement pattern.
  const message = error.message.replace(error.option, () => option);
  // The original as cause: its stack shows where the option was refused.
  return new McaError(error.code, message, { option, cause: error });
}
