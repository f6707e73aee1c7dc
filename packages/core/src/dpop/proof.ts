/**
 * Builds and signs DPoP proofs (RFC 9449 §4.2) synchronously with node:crypto. The protected header is encoded once
 * per key; the claims are written by hand (each value either base64url, a number, or checked and escaped), so a
 * proof costs little more than the signature itself.
 */
import { randomFillSync } from 'node:crypto';
import type { DpopKey } from './key.js';

/** 12 random bytes: 96 bits, RFC 9449 §11.1's minimum entropy for `jti`, 16 base64url characters. */
const JTI_BYTES = 12;
/** Random bytes are drawn in batches: one randomFillSync per 512 proofs instead of one per proof. */
const JTI_POOL_SIZE = JTI_BYTES * 512;

/** Characters that may go into a JSON string as they are: printable ASCII except `"` and `\`. */
const JSON_SAFE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function jsonString(value: string): string {
  return JSON_SAFE.test(value) ? `"${value}"` : JSON.stringify(value);
}

/** `url` without its query and fragment (RFC 9449 §4.2 `htu`). */
export function htuOf(url: string | URL): string {
  if (typeof url !== 'string') return `${url.origin}${url.pathname}`;
  const query = url.indexOf('?');
  const fragment = url.indexOf('#');
  const end = query === -1 ? fragment : fragment === -1 ? query : Math.min(query, fragment);
  return end === -1 ? url : url.slice(0, end);
}

export class ProofSigner {
  readonly #key: DpopKey;
  /** The encoded protected header and the dot after it; the same bytes start the scratch buffer. */
  readonly #headerDot: string;
  readonly #headerLength: number;
  #scratch: Buffer;
  /** The claims' UTF-8 bytes, rewritten per proof: no Buffer is allocated for them. */
  #claimsBytes = Buffer.allocUnsafe(1024);
  readonly #jtiPool = Buffer.allocUnsafe(JTI_POOL_SIZE);
  #jtiOffset = JTI_POOL_SIZE;

  constructor(key: DpopKey) {
    this.#key = key;
    const header = Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: key.alg, jwk: key.publicJwk })).toString('base64url');
    this.#headerDot = `${header}.`;
    this.#headerLength = this.#headerDot.length;
    this.#scratch = Buffer.allocUnsafe(this.#headerLength + 2048);
    this.#scratch.write(this.#headerDot, 0, 'latin1');
  }

  get thumbprint(): string {
    return this.#key.thumbprint;
  }

  /**
   * A proof for one request: `htm` the method, `htu` the URL without query and fragment, `ath` the token's hash
   * (RFC 9449 §4.2; absent on a token request), `nonce` the server's latest for that origin.
   */
  sign(htm: string, htu: string, ath: string | undefined, nonce: string | undefined): string {
    let claims = `{"jti":"${this.#jti()}","htm":${jsonString(htm)},"htu":${jsonString(htu)},"iat":${Math.floor(Date.now() / 1000)}`;
    if (ath !== undefined) claims += `,"ath":"${ath}"`;
    if (nonce !== undefined) claims += `,"nonce":${jsonString(nonce)}`;
    claims += '}';
    // UTF-8 takes at most three bytes per UTF-16 code unit, so the claims always fit.
    if (claims.length * 3 > this.#claimsBytes.length) this.#claimsBytes = Buffer.allocUnsafe(claims.length * 6);
    const claimsLength = this.#claimsBytes.write(claims, 0, 'utf8');
    const payload = this.#claimsBytes.toString('base64url', 0, claimsLength);
    const length = this.#headerLength + payload.length;
    if (length > this.#scratch.length) this.#grow(length);
    this.#scratch.write(payload, this.#headerLength, 'latin1');
    const signature = this.#key.sign(this.#scratch.subarray(0, length));
    return `${this.#headerDot}${payload}.${signature.toString('base64url')}`;
  }

  #jti(): string {
    if (this.#jtiOffset + JTI_BYTES > JTI_POOL_SIZE) {
      randomFillSync(this.#jtiPool);
      this.#jtiOffset = 0;
    }
    const start = this.#jtiOffset;
    this.#jtiOffset += JTI_BYTES;
    return this.#jtiPool.toString('base64url', start, start + JTI_BYTES);
  }

  #grow(length: number): void {
    const bigger = Buffer.allocUnsafe(length * 2);
    this.#scratch.copy(bigger, 0, 0, this.#headerLength);
    this.#scratch = bigger;
  }
}
