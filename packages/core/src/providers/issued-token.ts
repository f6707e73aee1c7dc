/** IssuedToken: an access token with its expiry; the token itself never shows in `util.inspect` or JSON. */
import { inspect } from 'node:util';
import { McaError, McaErrorCodes } from '../errors/index.js';

// RFC 6750 §2.1 b64token is narrower; any visible ASCII is what a header can carry without harm.
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/** Whether an access token can go into an Authorization header as it is. */
export function isHeaderSafeToken(accessToken: string): boolean {
  return VISIBLE_ASCII.test(accessToken);
}

export class IssuedToken {
  readonly #authorization: string;
  readonly tokenType = 'Bearer' as const;
  /** When the server says the token expires (epoch ms). */
  readonly expiresAt: number;
  /** When we asked for it (epoch ms): the conservative start of its life. */
  readonly issuedAt: number;
  /** The scope the server granted, when it said. */
  readonly scope: string | undefined;

  /**
   * Throws McaError `MCA_TOKEN_INVALID_RESPONSE` unless `accessToken` is visible ASCII: every Authorization
   * value core hands out can go into a header as it is, so adapters need not sanitize it per request.
   */
  constructor(accessToken: string, issuedAt: number, expiresAt: number, scope?: string) {
    if (typeof accessToken !== 'string') throw new McaError(McaErrorCodes.INVALID_OPTION, 'IssuedToken takes the access token as a string.');
    if (!isHeaderSafeToken(accessToken)) {
      throw new McaError(McaErrorCodes.TOKEN_INVALID_RESPONSE, 'An access token must be visible ASCII, to go into an Authorization header.');
    }
    if (!Number.isFinite(issuedAt) || !Number.isFinite(expiresAt)) {
      throw new McaError(McaErrorCodes.INVALID_OPTION, 'IssuedToken takes issuedAt and expiresAt as epoch milliseconds (finite numbers).');
    }
    if (scope !== undefined && typeof scope !== 'string') throw new McaError(McaErrorCodes.INVALID_OPTION, 'IssuedToken takes scope as a string, or none.');
    this.#authorization = `Bearer ${accessToken}`;
    this.issuedAt = issuedAt;
    this.expiresAt = expiresAt;
    this.scope = scope;
  }

  /** The value of the `Authorization` header: `Bearer <token>`. */
  get authorization(): string {
    return this.#authorization;
  }

  get accessToken(): string {
    return this.#authorization.slice(7);
  }

  toJSON(): Record<string, unknown> {
    return { tokenType: this.tokenType, issuedAt: this.issuedAt, expiresAt: this.expiresAt, scope: this.scope, accessToken: '[redacted]' };
  }

  [inspect.custom](): string {
    return `IssuedToken ${inspect(this.toJSON())}`;
  }
}

/** What every token provider does: get one token, or fail with an McaError. */
export interface TokenProvider {
  /** A hash of everything that changes the token (never a secret). */
  readonly cacheKey: string;
  fetchToken(signal?: AbortSignal): Promise<IssuedToken>;
}
