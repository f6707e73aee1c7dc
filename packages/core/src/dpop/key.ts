/** A DPoP key (RFC 9449 §4.2): the private KeyObject, its JWS algorithm, its public JWK and RFC 7638 thumbprint. */
import {
  constants, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject, type SignKeyObjectInput, type SignPrivateKeyInput,
} from 'node:crypto';
import { inspect } from 'node:util';
import type { PrivateJwk } from '../config/options.js';
import { optionDetail } from '../config/validate.js';
import { McaError, McaErrorCodes } from '../errors/index.js';

/** The algorithms we sign proofs with; each key type allows the ones listed for it. */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'EdDSA', 'PS256', 'RS256'] as const;
export type DpopAlgorithm = (typeof DPOP_ALGORITHMS)[number];

const CURVE_ALGORITHMS: Readonly<Record<string, DpopAlgorithm>> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };
const HASHES: Readonly<Record<DpopAlgorithm, string | null>> = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512', EdDSA: null, PS256: 'sha256', RS256: 'sha256' };

/** RFC 7638 §3.2: the required members of each key type, in lexicographic order. */
const THUMBPRINT_MEMBERS: Readonly<Record<string, readonly string[]>> = { EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'], RSA: ['e', 'kty', 'n'] };

function invalidKey(option: string, problem: string): McaError {
  // Never the key's text, nor crypto's message, which can quote it.
  return new McaError(McaErrorCodes.INVALID_OPTION, `Option '${option}' ${problem}.`, optionDetail(option));
}

function toPrivateKey(value: unknown, option: string): KeyObject {
  try {
    if (typeof value === 'string') return createPrivateKey(value);
    if (typeof value === 'object' && value !== null && 'asymmetricKeyType' in value) {
      const key = value as KeyObject;
      if (key.type === 'private') return key;
    } else if (typeof value === 'object' && value !== null) {
      return createPrivateKey({ key: value as import('node:crypto').JsonWebKey, format: 'jwk' });
    }
  } catch {
    // Reported below, without crypto's message.
  }
  throw invalidKey(option, 'is not a usable private key (PKCS#8 or SEC1 PEM, private JWK or private KeyObject)');
}

function algorithmsFor(key: KeyObject): readonly DpopAlgorithm[] {
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const alg = CURVE_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''];
      return alg === undefined ? [] : [alg];
    }
    case 'ed25519':
      return ['EdDSA'];
    case 'rsa':
      return ['RS256', 'PS256'];
    case 'rsa-pss':
      return ['PS256'];
    default:
      return [];
  }
}

/**
 * One DPoP key, its secret part kept in a private field: the key shows as `DpopKey { alg, thumbprint }` in
 * `util.inspect` and JSON, never its material.
 */
export class DpopKey {
  readonly #signOptions: SignKeyObjectInput | SignPrivateKeyInput | KeyObject;
  readonly #hash: string | null;
  readonly alg: DpopAlgorithm;
  /** The public JWK, only its public members. */
  readonly publicJwk: Readonly<Record<string, string>>;
  /** RFC 7638 thumbprint (SHA-256, base64url): the `jkt` a server binds the token to (RFC 9449 §6). */
  readonly thumbprint: string;

  constructor(privateKey: KeyObject, alg: DpopAlgorithm) {
    this.alg = alg;
    this.#hash = HASHES[alg];
    // JWS (RFC 7518 §3.4) wants ECDSA signatures as r || s, not DER.
    this.#signOptions =
      alg.startsWith('ES') ? { key: privateKey, dsaEncoding: 'ieee-p1363' }
      : alg === 'PS256' ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : privateKey;
    const exported = createPublicKey(privateKey).export({ format: 'jwk' }) as Record<string, string>;
    const members = THUMBPRINT_MEMBERS[exported['kty'] ?? ''] ?? [];
    const jwk: Record<string, string> = {};
    for (const member of members) jwk[member] = exported[member] as string;
    this.publicJwk = Object.freeze(jwk);
    // The members are already in RFC 7638 order, and hold only base64url and plain names: JSON.stringify is canonical.
    this.thumbprint = createHash('sha256').update(JSON.stringify(jwk)).digest('base64url');
  }

  /** Signs `data` synchronously (axios's and got's redirect hooks cannot wait). */
  sign(data: Uint8Array): Buffer {
    return sign(this.#hash, data, this.#signOptions);
  }

  toJSON(): Record<string, string> {
    return { alg: this.alg, thumbprint: this.thumbprint };
  }

  [inspect.custom](): string {
    return `DpopKey ${inspect(this.toJSON())}`;
  }
}

/** The `dpop` option as given: `true`, or a key and algorithm. */
export type DpopOptionValue = true | { privateKey?: string | PrivateJwk | KeyObject; alg?: string };

/**
 * The DPoP key for the `dpop` option: `true` (or no `privateKey`) makes an ES256 key pair in memory, never
 * exported; a PEM, private JWK or KeyObject is checked against `alg` (default: from the key, RS256 for RSA).
 */
export function createDpopKey(value: unknown, option = 'dpop'): DpopKey {
  if (value === true) return generatedKey();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidKey(option, "must be true or an object { privateKey?, alg? }");
  }
  const { privateKey, alg } = value as { privateKey?: unknown; alg?: unknown };
  if (alg !== undefined && (typeof alg !== 'string' || !(DPOP_ALGORITHMS as readonly string[]).includes(alg))) {
    throw invalidKey(`${option}.alg`, `must be one of ${DPOP_ALGORITHMS.join(', ')}`);
  }
  if (privateKey === undefined) {
    if (alg !== undefined && alg !== 'ES256') throw invalidKey(`${option}.alg`, "can only be ES256 without a 'privateKey' (the key made in memory is P-256)");
    return generatedKey();
  }
  const key = toPrivateKey(privateKey, `${option}.privateKey`);
  const allowed = algorithmsFor(key);
  if (allowed.length === 0) throw invalidKey(`${option}.privateKey`, 'must be a P-256, P-384, P-521, Ed25519 or RSA key');
  const jwkAlg = typeof privateKey === 'object' && privateKey !== null && !('asymmetricKeyType' in privateKey) ? (privateKey as PrivateJwk).alg : undefined;
  const chosen = (alg ?? jwkAlg ?? allowed[0]) as DpopAlgorithm;
  if (!allowed.includes(chosen)) throw invalidKey(`${option}.alg`, `does not fit the key; this key allows ${allowed.join(', ')}`);
  if ((key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw invalidKey(`${option}.privateKey`, 'must be an RSA key of at least 2048 bits');
  }
  return new DpopKey(key, chosen);
}

function generatedKey(): DpopKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return new DpopKey(privateKey, 'ES256');
}
