/** A small bounded map of verified tokens, so the same token is checked once, not 100k times. */
import type { JWTPayload } from 'jose';

export interface VerifiedToken {
  readonly payload: JWTPayload;
  readonly scopes: ReadonlySet<string>;
  /** `exp` in seconds since the epoch. */
  readonly exp: number;
}

/**
 * Keyed by the token string. A Map keeps insertion order, so evicting the first key evicts the
 * oldest entry: FIFO, which is enough when a benchmark sends a handful of distinct tokens.
 */
export class VerifiedTokenCache {
  readonly #entries = new Map<string, VerifiedToken>();
  constructor(readonly maxEntries: number) {}

  /** The entry if still valid at `nowSeconds`; an expired one is dropped. */
  get(token: string, nowSeconds: number): VerifiedToken | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    // jose rejects when exp <= now (RFC 7519 §4.1.4); the cache must agree to the second.
    if (entry.exp <= nowSeconds) {
      this.#entries.delete(token);
      return undefined;
    }
    return entry;
  }

  set(token: string, entry: VerifiedToken): void {
    if (this.maxEntries <= 0) return;
    if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(token, entry);
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
