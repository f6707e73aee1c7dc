/** `DpopProofChecker`: checks one DPoP proof as RFC 9449 §4.3 lists, with nonces and replay. */
import { decodeProtectedHeader, errors, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { accessTokenHash } from './access-token-hash.js';
import { resolveDpopOptions, type DpopOptions, type ResolvedDpopOptions } from './dpop-options.js';
import { DpopStats, type DpopRejectionReason } from './dpop-stats.js';
import { NonceSource } from './nonce-source.js';
import { normalizeHtu } from './normalize-htu.js';
import { ProofKeys, type ProofKey } from './proof-keys.js';
import { ReplayStore } from './replay-store.js';

/** The request a proof must be for. */
export interface ProofRequest {
  /** The `DPoP` header value(s) as Node parsed them. */
  proof: string | string[] | undefined;
  /** The request's method, compared with `htm` exactly. */
  method: string;
  /** The absolute URL the request reached; compared with `htu` without query and fragment. */
  url: string;
  /** At a resource: the access token, whose hash `ath` must be (RFC 9449 §4.2). */
  accessToken?: string;
  /** At a resource: the token's `cnf.jkt`, which the proof's key thumbprint must equal (RFC 9449 §7.1). */
  jkt?: string;
}

/** An accepted proof; `nonce` is the `DPoP-Nonce` to send back (present when nonces are required). */
export interface AcceptedProof {
  ok: true;
  /** RFC 7638 SHA-256 thumbprint of the proof's key, what `cnf.jkt` binds to (RFC 9449 §6.1). */
  jkt: string;
  nonce?: string;
  claims: JWTPayload;
}

/** A refused proof: the error code to answer and, for `use_dpop_nonce`, the nonce to send. */
export interface RejectedProof {
  ok: false;
  error: 'invalid_dpop_proof' | 'use_dpop_nonce';
  reason: DpopRejectionReason;
  /** Short, safe to log, never contains the proof or a token. */
  description: string;
  nonce?: string;
}

export type ProofResult = AcceptedProof | RejectedProof;

/** The run-time switches and counters of one DPoP checker (`DevServer.dpop`, `ProtectedApi.dpop`). */
export interface DpopControl {
  /** Demand the current nonce in every proof (RFC 9449 §8, §9). */
  requireNonce: boolean;
  /** Rotate the nonce after this many accepted proofs that carried it; 0 never. */
  nonceRotation: number;
  /** The nonce proofs must carry now. */
  readonly nonce: string;
  /** Replaces the nonce now (the old one is refused from now on) and returns the new one. */
  rotateNonce(): string;
  /** Proofs accepted, and refused by reason. */
  readonly stats: DpopStats;
}

/** Private-key and symmetric-key members of a JWK (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** Compact JWS: three base64url parts. Node joins a repeated header with ", ", which fails this. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function reject(reason: DpopRejectionReason, description: string): RejectedProof {
  return { ok: false, error: 'invalid_dpop_proof', reason, description };
}

function signatureFailure(error: unknown): RejectedProof {
  if (error instanceof errors.JWSSignatureVerificationFailed) return reject('signature', 'DPoP proof signature is invalid');
  if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
    return reject('claims', `DPoP proof claim ${error.claim} is invalid`);
  }
  if (error instanceof errors.JWTInvalid) return reject('malformed', 'DPoP proof payload is not a JSON object');
  // The jwk does not fit the alg (jose's key-type check), e.g. an RSA key under ES256.
  return reject('jwk', 'DPoP proof jwk is not a usable public key for its alg');
}

export class DpopProofChecker implements DpopControl {
  readonly stats = new DpopStats();
  readonly #options: ResolvedDpopOptions;
  readonly #nonces: NonceSource;
  readonly #replays: ReplayStore;
  readonly #keys = new ProofKeys();
  requireNonce: boolean;

  constructor(options: DpopOptions | undefined, name: string) {
    this.#options = resolveDpopOptions(options, name);
    this.requireNonce = this.#options.requireNonce;
    this.#nonces = new NonceSource(this.#options.nonceRotation);
    this.#replays = new ReplayStore(this.#options.replayStoreSize);
  }

  get algorithms(): readonly string[] {
    return this.#options.algorithms;
  }

  get nonce(): string {
    return this.#nonces.current;
  }

  get nonceRotation(): number {
    return this.#nonces.rotation;
  }

  set nonceRotation(value: number) {
    this.#nonces.rotation = resolveDpopOptions({ nonceRotation: value }, 'nonceRotation').nonceRotation;
  }

  rotateNonce(): string {
    return this.#nonces.rotate();
  }

  /** Checks the proof and counts the outcome. Never throws for bad input. */
  async check(request: ProofRequest): Promise<ProofResult> {
    const result = await this.#check(request);
    if (result.ok) this.stats.recordAccepted();
    else this.stats.recordRejected(result.reason);
    return result;
  }

  async #check({ proof, method, url, accessToken, jkt: boundTo }: ProofRequest): Promise<ProofResult> {
    if (proof === undefined) return reject('missing', 'no DPoP proof');
    if (typeof proof !== 'string' || !COMPACT_JWS.test(proof)) return reject('malformed', 'DPoP header is not one compact JWS');

    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(proof);
    } catch {
      return reject('malformed', 'DPoP proof header is not a JSON object');
    }
    if (header.typ !== 'dpop+jwt') return reject('typ', 'DPoP proof typ must be dpop+jwt');
    if (typeof header.alg !== 'string' || !this.#options.algorithms.includes(header.alg)) {
      return reject('alg', `DPoP proof alg must be one of ${this.#options.algorithms.join(' ')}`);
    }
    const jwk = header.jwk as JWK | undefined;
    if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return reject('jwk', 'DPoP proof has no jwk');
    if (PRIVATE_MEMBERS.some((member) => member in jwk)) return reject('jwk', 'DPoP proof jwk must be a public key without private members');

    let proofKey: ProofKey;
    try {
      proofKey = await this.#keys.get(jwk);
    } catch {
      return reject('jwk', 'DPoP proof jwk is not a public key');
    }
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(proof, proofKey.key, { typ: 'dpop+jwt', algorithms: [header.alg] }));
    } catch (error) {
      return signatureFailure(error);
    }

    const { jti, htm, htu, iat } = claims as { jti?: unknown; htm?: unknown; htu?: unknown; iat?: unknown };
    if (typeof jti !== 'string' || jti === '' || typeof htm !== 'string' || typeof htu !== 'string' || typeof iat !== 'number') {
      return reject('claims', 'DPoP proof needs jti, htm, htu and iat');
    }
    if (htm !== method) return reject('htm', 'DPoP proof htm does not match the request method');
    const expected = normalizeHtu(url);
    if (expected === undefined || normalizeHtu(htu) !== expected) return reject('htu', 'DPoP proof htu does not match the request URL');
    const now = Math.floor(Date.now() / 1000);
    if (Math.abs(now - iat) > this.#options.iatWindow) return reject('iat', 'DPoP proof iat is outside the accepted window');
    if (accessToken !== undefined && claims['ath'] !== accessTokenHash(accessToken)) {
      return reject('ath', 'DPoP proof ath does not match the access token');
    }
    if (this.requireNonce && claims['nonce'] !== this.#nonces.current) {
      return { ok: false, error: 'use_dpop_nonce', reason: 'nonce', description: 'a DPoP nonce is required: resend with the one in DPoP-Nonce', nonce: this.#nonces.current };
    }
    // Remembered past the window on both sides, so a proof cannot come back while its iat still passes.
    if (!this.#replays.remember(jti, now, iat + this.#options.iatWindow + 1)) return reject('replay', 'DPoP proof jti was already used');

    const { jkt } = proofKey;
    if (boundTo !== undefined && jkt !== boundTo) return reject('jkt', 'DPoP proof key is not the key the token is bound to');
    if (!this.requireNonce) return { ok: true, jkt, claims };
    this.#nonces.used();
    return { ok: true, jkt, claims, nonce: this.#nonces.current };
  }
}
