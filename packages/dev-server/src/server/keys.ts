/** The server's signing keys, generated once at start, and their public forms (JWKS, MCA {n, e}). */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JSONWebKeySet, type JWK, type KeyLike } from 'jose';

/** Algorithms the server can sign plain-OAuth access tokens with. MCA tokens are always RS256. */
export type SigningAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

export interface SigningKey {
  readonly alg: SigningAlgorithm;
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly publicJwk: JWK;
}

export interface ServerKeys {
  /** RS256 key: signs MCA tokens (the MCA public-key endpoint can only describe RSA) and, by default, OAuth ones. */
  readonly rsa: SigningKey;
  /** Key used for plain-OAuth access tokens; the same object as `rsa` when the algorithm is RS256. */
  readonly oauth: SigningKey;
  /** Public keys of both, as served at the JWKS URI (RFC 7517 §5). */
  readonly jwks: JSONWebKeySet;
}

async function createKey(alg: SigningAlgorithm): Promise<SigningKey> {
  // EdDSA needs its curve named; RSA keys stay at jose's 2048-bit default, the size MCA used.
  const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { alg, kid, privateKey, publicJwk: Object.freeze({ ...jwk, kid, alg, use: 'sig' }) };
}

/** Generates the keys; RSA generation takes up to a few hundred milliseconds, which is why it happens once. */
export async function createServerKeys(oauthAlg: SigningAlgorithm): Promise<ServerKeys> {
  const rsa = await createKey('RS256');
  const oauth = oauthAlg === 'RS256' ? rsa : await createKey(oauthAlg);
  const keys = oauth === rsa ? [rsa.publicJwk] : [rsa.publicJwk, oauth.publicJwk];
  return { rsa, oauth, jwks: Object.freeze({ keys: Object.freeze(keys) }) as JSONWebKeySet };
}
