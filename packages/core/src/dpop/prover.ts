/** DpopProver: one key's proofs and the nonces servers gave it, what a route with the `dpop` option holds. */
import { headerValueOf } from '../stamping/caller-authorization.js';
import type { DpopKey } from './key.js';
import { NonceStore } from './nonces.js';
import { htuOf, ProofSigner } from './proof.js';

/** The origin of an absolute URL string without parsing it: everything before the first `/` after `scheme://`. */
function originOfHtu(htu: string): string {
  const slash = htu.indexOf('/', htu.indexOf('//') + 2);
  return slash === -1 ? htu : htu.slice(0, slash);
}

export class DpopProver {
  readonly #signer: ProofSigner;
  readonly #nonces = new NonceStore();
  readonly key: DpopKey;

  constructor(key: DpopKey) {
    this.key = key;
    this.#signer = new ProofSigner(key);
  }

  /** The key's RFC 7638 thumbprint. */
  get thumbprint(): string {
    return this.key.thumbprint;
  }

  /** A proof for `method` and `url`, bound to a token by `ath` (absent for a token request), with the origin's nonce. */
  proof(method: string, url: string | URL, ath?: string): string {
    const htu = htuOf(url);
    return this.#signer.sign(method, htu, ath, this.#nonces.get(originOfHtu(htu)));
  }

  /**
   * Remembers the `DPoP-Nonce` a response from `url` carries (RFC 9449 §8.2, §9: a server may send a new one on
   * any response). Returns the nonce when there was a usable one.
   */
  rememberNonce(url: string | URL, headers: unknown): string | undefined {
    const nonce = headerValueOf(headers, 'dpop-nonce');
    if (nonce === undefined) return undefined;
    return this.#nonces.remember(originOfHtu(htuOf(url)), nonce) ? nonce : undefined;
  }

  toJSON(): Record<string, string> {
    return this.key.toJSON();
  }
}
