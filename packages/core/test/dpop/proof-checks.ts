/** Checks a DPoP proof with jose, an independent verifier: signature by the embedded public JWK, header and claims. */
import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify, type JWTPayload } from 'jose';

export interface CheckedProof {
  readonly payload: JWTPayload & { htm?: string; htu?: string; ath?: string; nonce?: string };
  readonly thumbprint: string;
}

export async function verifyProof(proof: string, algorithms = ['ES256', 'ES384', 'ES512', 'EdDSA', 'PS256', 'RS256']): Promise<CheckedProof> {
  const header = decodeProtectedHeader(proof);
  expect(header.typ).toBe('dpop+jwt');
  // RFC 9449 §4.2: the public key only, never a private member.
  expect(Object.keys(header).sort()).toEqual(['alg', 'jwk', 'typ']);
  expect(header.jwk).not.toHaveProperty('d');
  const { payload } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms });
  expect(typeof payload.jti).toBe('string');
  expect(Buffer.from(payload.jti as string, 'base64url').length).toBeGreaterThanOrEqual(12);
  expect(Math.abs((payload.iat as number) - Date.now() / 1000)).toBeLessThan(5);
  return { payload: payload as CheckedProof['payload'], thumbprint: await calculateJwkThumbprint(header.jwk!) };
}

export function athOf(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url');
}
