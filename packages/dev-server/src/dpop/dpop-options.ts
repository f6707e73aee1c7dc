/** What a DPoP checker accepts (RFC 9449), as options of the dev server and of the verifier. */
import { invalidArg } from '../lib/invalid-arg.js';

/** Every JWS algorithm RFC 9449 §5.1 lets a client use that jose verifies here; none symmetric. */
export const DPOP_ALGORITHMS: readonly string[] = Object.freeze([
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
]);

/** DPoP proof checking on the token endpoint (`DevServerOptions.dpop`) or the protected API. */
export interface DpopOptions {
  /**
   * Demand a server nonce in every proof (RFC 9449 §8, §9): a proof without the current nonce is
   * answered `use_dpop_nonce` with a `DPoP-Nonce` header, and every accepted request gets the
   * current nonce back. Changeable at run time (`dpop.requireNonce = true`). Default: false.
   */
  requireNonce?: boolean;
  /**
   * Rotate the nonce after this many accepted proofs that carried it; the answer that used it up
   * carries the next one in `DPoP-Nonce` (RFC 9449 §8.2) and the old one is refused from then
   * on, so a client that ignores `DPoP-Nonce` on success sees `use_dpop_nonce`. 0 never
   * rotates (`dpop.rotateNonce()` still does). Only matters with `requireNonce`. Default: 0.
   */
  nonceRotation?: number;
  /** Accepted `alg` values of proofs. Default: `DPOP_ALGORITHMS` (ES*, EdDSA, PS*, RS*). */
  algorithms?: readonly string[];
  /**
   * How far a proof's `iat` may be from the server's clock, in seconds, either way (RFC 9449
   * §11.1); also how long a `jti` is remembered. Default: 60.
   */
  iatWindow?: number;
  /**
   * How many `jti` values are remembered to refuse replays (RFC 9449 §11.1). Bounded so a
   * benchmark cannot grow the server without limit; when full the oldest is forgotten (it would
   * soon leave the `iat` window anyway). Default: 100,000.
   */
  replayStoreSize?: number;
}

/** DpopOptions with every default applied, checked once. */
export interface ResolvedDpopOptions {
  requireNonce: boolean;
  nonceRotation: number;
  algorithms: readonly string[];
  iatWindow: number;
  replayStoreSize: number;
}

const KNOWN = new Set(['requireNonce', 'nonceRotation', 'algorithms', 'iatWindow', 'replayStoreSize']);

function nonNegativeInteger(value: unknown, name: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalidArg(`${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** Applies defaults and checks the options; a TypeError (ERR_INVALID_ARG_VALUE) names the bad one. */
export function resolveDpopOptions(options: DpopOptions | undefined, name: string): ResolvedDpopOptions {
  const given = options ?? {};
  if (typeof given !== 'object' || given === null) throw invalidArg(`${name} must be an object`);
  const unknown = Object.keys(given).filter((key) => !KNOWN.has(key));
  if (unknown.length > 0) throw invalidArg(`${name} has unknown fields: ${unknown.join(', ')}`);
  const requireNonce = given.requireNonce ?? false;
  if (typeof requireNonce !== 'boolean') throw invalidArg(`${name}.requireNonce must be a boolean`);
  const algorithms = given.algorithms ?? DPOP_ALGORITHMS;
  if (!Array.isArray(algorithms) || algorithms.length === 0 || algorithms.some((a) => !DPOP_ALGORITHMS.includes(a))) {
    throw invalidArg(`${name}.algorithms must be a non-empty list of ${DPOP_ALGORITHMS.join(', ')}`);
  }
  return {
    requireNonce,
    nonceRotation: nonNegativeInteger(given.nonceRotation ?? 0, `${name}.nonceRotation`),
    algorithms: [...algorithms],
    iatWindow: nonNegativeInteger(given.iatWindow ?? 60, `${name}.iatWindow`, 1),
    replayStoreSize: nonNegativeInteger(given.replayStoreSize ?? 100_000, `${name}.replayStoreSize`, 1),
  };
}
