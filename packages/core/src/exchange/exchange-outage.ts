/**
 * The token endpoint's own failures, shared by every user of an exchange route: while the endpoint is down (or
 * refuses the client itself), each new user would otherwise cost one more request to it. A refusal of one user's
 * token (`invalid_grant`, `invalid_target`, RFC 8693 §2.2.2) is that user's alone and is never recorded here.
 */
import { backoffDelay, type BackoffPolicy } from '../cache/backoff.js';
import { isMcaError, McaErrorCodes } from '../errors/index.js';

/** Failures that say nothing about the user: the endpoint is unreachable, slow, failing, or refuses the client. */
export function isEndpointFailure(error: unknown): boolean {
  if (!isMcaError(error)) return false;
  switch (error.code) {
    case McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE:
    case McaErrorCodes.TOKEN_TIMEOUT:
    case McaErrorCodes.DISCOVERY_FAILED:
      return true;
    case McaErrorCodes.TOKEN_HTTP_ERROR:
    case McaErrorCodes.TOKEN_OAUTH_ERROR: {
      // RFC 6749 §5.2: 401 is invalid_client (our credentials); 429 and 5xx are the server's state.
      const status = error.status ?? 0;
      return status === 401 || status === 429 || status >= 500 || error.oauthError?.error === 'invalid_client';
    }
    default:
      return false;
  }
}

export class ExchangeOutage {
  readonly #backoff: BackoffPolicy;
  readonly #now: () => number;
  #failures = 0;
  #retryAt = 0;
  #error: unknown;

  constructor(backoff: BackoffPolicy, now: () => number = () => Date.now()) {
    this.#backoff = backoff;
    this.#now = now;
  }

  /** Throws the endpoint's last failure while its backoff lasts, so no request is made for any user meanwhile. */
  check(): void {
    if (this.#failures > 0 && this.#now() < this.#retryAt) throw this.#error;
  }

  succeeded(): void {
    this.#failures = 0;
  }

  failed(error: unknown): void {
    if (!isEndpointFailure(error)) return;
    this.#failures += 1;
    this.#error = error;
    this.#retryAt = this.#now() + backoffDelay(this.#backoff, this.#failures, isMcaError(error) ? error.retryAfterMs : undefined);
  }
}
