/** A DPoP proof maker for the tests, on node:crypto alone, so it shares no code with the checker. */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

export interface ProofKey {
  readonly alg: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: Record<string, string>;
  /** RFC 7638 SHA-256 thumbprint, computed here by hand (required members, sorted, no spaces). */
  readonly jkt: string;
}

const REQUIRED: Record<string, string[]> = { EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'], RSA: ['e', 'kty', 'n'] };

function thumbprint(jwk: Record<string, string>): string {
  const members = REQUIRED[jwk['kty']!]!.map((name) => `"${name}":"${jwk[name]}"`).join(',');
  return createHash('sha256').update(`{${members}}`).digest('base64url');
}

export function makeProofKey(alg: 'ES256' | 'EdDSA' | 'PS256' | 'RS256' = 'ES256'): ProofKey {
  const pair =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicJwk = pair.publicKey.export({ format: 'jwk' }) as Record<string, string>;
  return { alg, privateKey: pair.privateKey, publicJwk, jkt: thumbprint(publicJwk) };
}

export interface ProofParts {
  htm: string;
  htu: string;
  accessToken?: string;
  nonce?: string;
  /** Replaces or adds header members (`undefined` removes one). */
  header?: Record<string, unknown>;
  /** Replaces or adds claims (`undefined` removes one). */
  claims?: Record<string, unknown>;
  /** Signs with this key instead (the header still names `key`'s public JWK). */
  signWith?: KeyObject;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function signature(alg: string, key: KeyObject, input: Buffer): Buffer {
  switch (alg) {
    case 'ES256':
      return sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return sign(null, input, key);
    case 'PS256':
      return sign('sha256', input, { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 });
    default:
      return sign('sha256', input, key);
  }
}

/** A proof for `htm` `htu`, with `ath` when `accessToken` is given (RFC 9449 §4.2). */
export function makeProof(key: ProofKey, parts: ProofParts): string {
  const header = { typ: 'dpop+jwt', alg: key.alg, jwk: key.publicJwk, ...parts.header };
  const claims: Record<string, unknown> = { jti: randomBytes(16).toString('base64url'), htm: parts.htm, htu: parts.htu, iat: Math.floor(Date.now() / 1000) };
  if (parts.accessToken !== undefined) claims['ath'] = createHash('sha256').update(parts.accessToken).digest('base64url');
  if (parts.nonce !== undefined) claims['nonce'] = parts.nonce;
  Object.assign(claims, parts.claims);
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${signature(key.alg, parts.signWith ?? key.privateKey, Buffer.from(input)).toString('base64url')}`;
}
