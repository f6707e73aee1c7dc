/** The public keys of DPoP proofs, imported once per key rather than once per request. */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';

export interface ProofKey {
  readonly key: KeyObject;
  /** RFC 7638 SHA-256 thumbprint (RFC 9449 §6.1's `jkt`). */
  readonly jkt: string;
}

/**
 * A client sends the same `jwk` in every proof: importing it and hashing its thumbprint once keeps the
 * verifier's cost per request at one signature check, so the server is not what a DPoP benchmark measures.
 * Bounded, oldest first out, like the replay store.
 */
export class ProofKeys {
  readonly #keys = new Map<string, ProofKey>();
  constructor(readonly maxEntries = 1000) {}

  /** The key for `jwk` (public members only, checked by the caller); throws when it is not a usable key. */
  async get(jwk: JWK): Promise<ProofKey> {
    const id = JSON.stringify(jwk);
    const known = this.#keys.get(id);
    if (known !== undefined) return known;
    const key = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    const entry = { key, jkt: await calculateJwkThumbprint(jwk, 'sha256') };
    if (this.#keys.size >= this.maxEntries) this.#keys.delete(this.#keys.keys().next().value!);
    this.#keys.set(id, entry);
    return entry;
  }
}
