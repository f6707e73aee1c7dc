/** IssuedToken: an access token with its expiry; the token itself never shows in `util.inspect` or JSON. */
import { inspect } from 'node:util';

export class IssuedToken {
  readonly #authorization: string;
  readonly tokenType = 'Bearer' as const;
  /** When the server says the token expires (epoch ms). */
  readonly expiresAt: number;
  /** When we asked for it (epoch ms): the conservative start of its life. */
  readonly issuedAt: number;
  /** The scope the server granted, when it said. */
  readonly scope: string | undefined;

  constructor(accessToken: string, issuedAt: number, expiresAt: number, scope?: string) {
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
