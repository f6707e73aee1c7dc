/** Server-provided DPoP nonces (RFC 9449 §8, §9), one per origin, in a small LRU as oauth4webapi keeps them. */
import { LRUCache } from 'lru-cache';

/** RFC 9449 §8.1: `nonce = 1*NQCHAR`, i.e. visible ASCII without `"` and `\`; bounded so a server cannot bloat proofs. */
const NONCE = /^[\x21\x23-\x5b\x5d-\x7e]{1,512}$/;

/** How many origins' nonces are kept. */
const MAX_ORIGINS = 100;

export class NonceStore {
  readonly #nonces = new LRUCache<string, string>({ max: MAX_ORIGINS });

  /** The nonce `origin` last gave, if any. */
  get(origin: string): string | undefined {
    return this.#nonces.size === 0 ? undefined : this.#nonces.get(origin);
  }

  /** Remembers a `DPoP-Nonce` header value from `origin`; a malformed value is ignored (it could not go into a proof). */
  remember(origin: string, nonce: string | undefined): boolean {
    if (nonce === undefined || !NONCE.test(nonce)) return false;
    this.#nonces.set(origin, nonce);
    return true;
  }
}
