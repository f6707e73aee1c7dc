/** A cache entry: the token's header value and its times. The value stays out of `util.inspect` and JSON. */
import { inspect } from 'node:util';
import type { IssuedToken } from '../providers/issued-token.js';
import type { TokenTimes } from './lifetime-policy.js';

export class CachedToken {
  readonly #authorization: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly refreshAt: number;
  readonly usableUntil: number;

  constructor(token: IssuedToken, times: TokenTimes) {
    this.#authorization = token.authorization;
    this.issuedAt = token.issuedAt;
    this.expiresAt = token.expiresAt;
    this.refreshAt = times.refreshAt;
    this.usableUntil = times.usableUntil;
  }

  get authorization(): string {
    return this.#authorization;
  }

  toJSON(): Record<string, unknown> {
    return { issuedAt: this.issuedAt, expiresAt: this.expiresAt, refreshAt: this.refreshAt, usableUntil: this.usableUntil, authorization: '[redacted]' };
  }

  [inspect.custom](): string {
    return `CachedToken ${inspect(this.toJSON())}`;
  }
}
