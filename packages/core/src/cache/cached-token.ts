/** A cache entry: the token's header value and its times. The value stays out of `util.inspect` and JSON. */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import type { IssuedToken } from '../providers/issued-token.js';
import { RequestStamp } from '../stamping/request-stamp.js';
import type { TokenSource } from './token-cache.js';
import type { TokenTimes } from './lifetime-policy.js';

/** The Authorization value a token is stamped with: RFC 9449 §7.1's `DPoP` scheme for a DPoP-bound token, whatever case the server wrote token_type in. */
export function stampedAuthorization(token: IssuedToken, dpop: boolean): string {
  return dpop ? `DPoP ${token.accessToken}` : token.authorization;
}

export class CachedToken {
  readonly #authorization: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly refreshAt: number;
  readonly usableUntil: number;
  /** A bearer token's stamp, the same object on every hit (nothing allocated per request); `undefined` for DPoP. */
  readonly bearerStamp: RequestStamp | undefined;
  /** RFC 9449 §4.2 `ath`: base64url SHA-256 of the token, hashed once here, never per request. */
  readonly ath: string | undefined;
  /** Where the token came from (its DPoP prover, its cache key); `undefined` only for entries made outside the cache. */
  readonly source: TokenSource | undefined;

  constructor(token: IssuedToken, times: TokenTimes, source?: TokenSource) {
    this.issuedAt = token.issuedAt;
    this.expiresAt = token.expiresAt;
    this.refreshAt = times.refreshAt;
    this.usableUntil = times.usableUntil;
    this.source = source;
    if (source?.dpop === undefined) {
      this.#authorization = token.authorization;
      this.ath = undefined;
      this.bearerStamp = source === undefined ? undefined : new RequestStamp(this.#authorization, undefined, this, source);
    } else {
      this.#authorization = stampedAuthorization(token, true);
      this.ath = createHash('sha256').update(token.accessToken, 'ascii').digest('base64url');
      this.bearerStamp = undefined;
    }
  }

  get authorization(): string {
    return this.#authorization;
  }

  toJSON(): Record<string, unknown> {
    // Not the source: it is configuration, and this is what a log of a cache entry shows.
    return { issuedAt: this.issuedAt, expiresAt: this.expiresAt, refreshAt: this.refreshAt, usableUntil: this.usableUntil, authorization: '[redacted]' };
  }

  [inspect.custom](): string {
    return `CachedToken ${inspect(this.toJSON())}`;
  }
}
