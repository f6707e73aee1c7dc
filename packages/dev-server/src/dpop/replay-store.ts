/** Remembers proof `jti` values for the `iat` window, so a replayed proof is refused (RFC 9449 §11.1). */

/**
 * A Map in insertion order: entries expire in the order they were added (same window for all),
 * so expired ones are pruned from the front, and when full the oldest is forgotten first.
 */
export class ReplayStore {
  readonly #seen = new Map<string, number>();
  constructor(readonly maxEntries: number) {}

  /** Records `jti` until `expiresAt` (seconds); false if it is already there (a replay). */
  remember(jti: string, nowSeconds: number, expiresAt: number): boolean {
    for (const [key, expiry] of this.#seen) {
      if (expiry > nowSeconds) break;
      this.#seen.delete(key);
    }
    if (this.#seen.has(jti)) return false;
    if (this.#seen.size >= this.maxEntries) this.#seen.delete(this.#seen.keys().next().value!);
    this.#seen.set(jti, expiresAt);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }
}
