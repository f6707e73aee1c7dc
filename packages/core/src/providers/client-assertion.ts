/** private_key_jwt: a short-lived JWT signed with the client's key (RFC 7523 §2.2, §3), made with jose. */
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { PrivateJwk } from '../config/options.js';
import type { Secret } from '../config/secret.js';
import { McaError, McaErrorCodes } from '../errors/index.js';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const ASSERTION_LIFETIME_SEC = 60;

export interface AssertionSigner {
  sign(audience: string): Promise<string>;
}

function toKeyObject(key: string | PrivateJwk | KeyObject): KeyObject {
  try {
    if (typeof key === 'string') return createPrivateKey(key);
    if ('asymmetricKeyType' in key || 'symmetricKeySize' in key) return key as KeyObject;
    return createPrivateKey({ key: key as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch {
    // Never the key's text, nor crypto's message, which can quote it.
    throw new McaError(McaErrorCodes.INVALID_OPTION, "Option 'privateKey' is not a usable private key (PKCS#8 PEM, private JWK or KeyObject).");
  }
}

function defaultAlgorithm(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'ec':
      return ({ prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' } as Record<string, string>)[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? 'ES256';
    case 'ed25519':
      return 'EdDSA';
    default:
      return 'RS256';
  }
}

export function createAssertionSigner(clientId: string, privateKey: Secret<string | PrivateJwk | KeyObject>, alg?: string, kid?: string): AssertionSigner {
  const raw = privateKey.reveal();
  const key = toKeyObject(raw);
  const jwk = typeof raw === 'object' && !('asymmetricKeyType' in raw) ? (raw as PrivateJwk) : undefined;
  const algorithm = alg ?? (typeof jwk?.alg === 'string' ? jwk.alg : undefined) ?? defaultAlgorithm(key);
  const keyId = kid ?? (typeof jwk?.kid === 'string' ? jwk.kid : undefined);
  return {
    sign(audience: string): Promise<string> {
      return new SignJWT({})
        .setProtectedHeader({ alg: algorithm, typ: 'JWT', ...(keyId !== undefined && { kid: keyId }) })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(audience)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${ASSERTION_LIFETIME_SEC}s`)
        .sign(key);
    },
  };
}
