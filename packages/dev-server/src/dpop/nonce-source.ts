/** The server nonce of one origin (RFC 9449 §8 at the token endpoint, §9 at a resource). */
import { randomBytes } from 'node:crypto';

/** 128 random bits, base64url: unguessable, and within RFC 9449 §8.1's `NQCHAR` set. */
function freshNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * One current nonce. A proof must carry it exactly; after `rotation` uses it is replaced, and
 * the old one is refused from then on (a stricter server than most, to exercise clients' retry).
 */
export class NonceSource {
  #current = freshNonce();
  #uses = 0;

  constructor(public rotation: number) {}

  get current(): string {
    return this.#current;
  }

  /** Replaces the nonce now and returns the new one. */
  rotate(): string {
    this.#current = freshNonce();
    this.#uses = 0;
    return this.#current;
  }

  /** Counts one accepted proof that carried the nonce; rotates when `rotation` uses are reached. */
  used(): void {
    if (this.rotation > 0 && ++this.#uses >= this.rotation) this.rotate();
  }
}
