/** RequestStamp: what core puts on one request, the `Authorization` value and, for a DPoP-bound token, the proof. */
import { inspect } from 'node:util';
import type { CachedToken } from '../cache/cached-token.js';
import type { TokenSource } from '../cache/token-cache.js';

/**
 * The headers for one request: set `Authorization` to `authorization` and, when `dpop` is a string, `DPoP` to it
 * (RFC 9449 §7.1). A bearer token's stamp is made once per token and handed out as it is on every cache hit; a
 * DPoP stamp is made per request (the proof is). Neither value shows in `util.inspect` or JSON.
 */
export class RequestStamp {
  readonly #authorization: string;
  readonly #dpop: string | undefined;
  /** @internal The cached token this stamp carries (core judges responses and redirect hops by it). */
  readonly token: CachedToken;
  /** @internal Where the token came from. */
  readonly source: TokenSource;

  /** @internal Only core makes stamps. */
  constructor(authorization: string, dpop: string | undefined, token: CachedToken, source: TokenSource) {
    this.#authorization = authorization;
    this.#dpop = dpop;
    this.token = token;
    this.source = source;
  }

  /** The `Authorization` header value: `Bearer <token>` or `DPoP <token>`. */
  get authorization(): string {
    return this.#authorization;
  }

  /** The `DPoP` header value (a proof for this request's method and URL), or `undefined` for a bearer token. */
  get dpop(): string | undefined {
    return this.#dpop;
  }

  toJSON(): Record<string, unknown> {
    return { scheme: this.#dpop === undefined ? 'Bearer' : 'DPoP', authorization: '[redacted]', ...(this.#dpop !== undefined && { dpop: '[redacted]' }) };
  }

  [inspect.custom](): string {
    return `RequestStamp ${inspect(this.toJSON())}`;
  }
}

/**
 * What a response to a stamped request means, decided by core alone (one retry policy, as Duende's
 * AccessTokenRequestHandler has): `deliver` it to the caller; `retry-with-nonce`: send the request once more with a
 * new stamp (the server gave a DPoP nonce, RFC 9449 §9; same token); `retry-with-new-token`: send it once more with
 * a new stamp (core has dropped the rejected token, RFC 6750 §3.1).
 */
export type ResponseVerdict = 'deliver' | 'retry-with-nonce' | 'retry-with-new-token';

/**
 * Per request, what the adapter keeps for core between attempts: which retries were made (core sets the bits;
 * start at 0). Each kind of retry happens at most once per request.
 */
export interface RetryRecord {
  retriesDone: number;
}

export const NONCE_RETRY = 1;
export const TOKEN_RETRY = 2;
