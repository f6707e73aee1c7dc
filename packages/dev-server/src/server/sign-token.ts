/** Signs access tokens: the only cryptography on the token endpoints' hot path. */
import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { SigningKey } from './keys.js';

/** What a token endpoint decided to grant; turned into claims by `signAccessToken`. */
export interface Grant {
  clientId: string;
  /** Granted scopes, in request order. */
  scopes: string[];
  /** The `aud` claim: one value is emitted as a string, several as an array (RFC 7519 §4.1.3). */
  audience: string[];
  /** RFC 9449 §6.1: the thumbprint of the DPoP key the token is bound to, as `cnf.jkt`. */
  jkt?: string;
  /** `x5t#S256` of the client certificate the token is bound to (RFC 8705 §3.1), if any. */
  certificateThumbprint?: string;
}

export type TokenFlavour = 'oauth' | 'mca';

/**
 * Builds the claims and signs them. OAuth tokens follow RFC 9068 (`typ: at+jwt`, `client_id`,
 * `scope` as a space-separated string); MCA tokens carry the scope in the flat `imf.scope` claim
 * (the retired service's name for it) with `aud` = tenant id.
 */
export async function signAccessToken(
  key: SigningKey,
  flavour: TokenFlavour,
  issuer: string,
  grant: Grant,
  ttlSeconds: number,
): Promise<string> {
  const now = Date.now() / 1000;
  const iat = Math.floor(now);
  const aud = grant.audience.length === 1 ? grant.audience[0] : grant.audience;
  const scope = grant.scopes.join(' ');
  const claims: JWTPayload = {
    iss: issuer,
    sub: grant.clientId,
    aud,
    iat,
    // Rounded up: the answer says `expires_in: ttl`, so the token must live at least that long. Flooring
    // (as many issuers do) would cut up to a second off, half the life of a 2-second test token.
    exp: Math.ceil(now) + ttlSeconds,
    jti: randomUUID(),
    client_id: grant.clientId,
  };
  const cnf = confirmationOf(grant);
  if (cnf !== undefined) claims['cnf'] = cnf;
  if (flavour === 'mca') claims['imf.scope'] = scope;
  else if (scope !== '') claims.scope = scope;
  return signClaims(key, claims, flavour === 'oauth' ? 'at+jwt' : 'JWT');
}

/** RFC 9449 §6.1 (`jkt`) and RFC 8705 §3.1 (`x5t#S256`): the `cnf` claim for the key or certificate a token is bound to. */
export function confirmationOf(binding: Pick<Grant, 'jkt' | 'certificateThumbprint'>): Record<string, string> | undefined {
  const cnf: Record<string, string> = {};
  if (binding.jkt !== undefined) cnf['jkt'] = binding.jkt;
  if (binding.certificateThumbprint !== undefined) cnf['x5t#S256'] = binding.certificateThumbprint;
  return Object.keys(cnf).length > 0 ? cnf : undefined;
}

/** Signs arbitrary claims with a server key (used by `DevServer.signToken` to craft test tokens). */
export function signClaims(key: SigningKey, claims: JWTPayload, typ = 'at+jwt'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ }).sign(key.privateKey);
}
