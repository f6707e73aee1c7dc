/** Counters of DPoP proofs: how many were accepted, how many refused, and why. */

/**
 * Why a proof (or a DPoP request) was refused. Proof checks, in the order they run: `missing`,
 * `malformed`, `typ`, `alg`, `jwk` (absent, not a public key, or with private members), `signature`,
 * `claims` (jti, htm, htu or iat absent or of the wrong type), `htm`, `htu`, `iat`, `ath`, `nonce`,
 * `replay`. At the resource: `jkt` (the proof's key is not the token's `cnf.jkt`), `unbound` (a
 * DPoP request whose token has no `cnf.jkt`), `bound-as-bearer` (a DPoP-bound token sent as Bearer,
 * RFC 9449 §7.2).
 */
export type DpopRejectionReason =
  | 'missing'
  | 'malformed'
  | 'typ'
  | 'alg'
  | 'jwk'
  | 'signature'
  | 'claims'
  | 'htm'
  | 'htu'
  | 'iat'
  | 'ath'
  | 'nonce'
  | 'replay'
  | 'jkt'
  | 'unbound'
  | 'bound-as-bearer';

/** A copy of the counters at one moment. */
export interface DpopStatsSnapshot {
  /** Proofs that passed every check. */
  accepted: number;
  /** Proofs or DPoP requests refused, all reasons. */
  rejected: number;
  /** `rejected`, split by reason (only reasons seen so far appear). */
  rejections: Partial<Record<DpopRejectionReason, number>>;
}

/** Mutable counters, read live or as a `snapshot()`. */
export class DpopStats {
  #accepted = 0;
  #rejected = 0;
  #rejections = new Map<DpopRejectionReason, number>();

  recordAccepted(): void {
    this.#accepted++;
  }

  recordRejected(reason: DpopRejectionReason): void {
    this.#rejected++;
    this.#rejections.set(reason, (this.#rejections.get(reason) ?? 0) + 1);
  }

  get accepted(): number {
    return this.#accepted;
  }

  get rejected(): number {
    return this.#rejected;
  }

  /** Refusals for one reason. */
  rejectedFor(reason: DpopRejectionReason): number {
    return this.#rejections.get(reason) ?? 0;
  }

  snapshot(): DpopStatsSnapshot {
    return { accepted: this.#accepted, rejected: this.#rejected, rejections: Object.fromEntries(this.#rejections) };
  }

  reset(): void {
    this.#accepted = this.#rejected = 0;
    this.#rejections.clear();
  }
}
