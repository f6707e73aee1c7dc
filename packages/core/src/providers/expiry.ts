/** When a token expires: `expires_in`, else the JWT's `exp`, else a configured default. */
import { decodeJwt } from 'jose';

/** A JWT's `exp` in epoch ms, or `undefined` when the token is not a JWT with a numeric `exp`. Never throws. */
export function jwtExpiry(accessToken: string): number | undefined {
  if (accessToken.split('.').length !== 3) return undefined;
  try {
    const { exp } = decodeJwt(accessToken);
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The earlier of `expires_in` and the JWT's `exp` when both are there: issuers sign `exp = floor(now) + ttl`
 * and send `expires_in = ttl`, so the JWT can end up to a second before `sent + expires_in` says, and a
 * resource server checks `exp`. An `exp` already past when we asked is a clock disagreement, not a dead token.
 */
export function expiryOf(accessToken: string, expiresInSec: number | undefined, issuedAt: number, defaultLifetimeSec: number): number {
  const exp = jwtExpiry(accessToken);
  const jwtEnd = exp !== undefined && exp > issuedAt ? exp : undefined;
  if (expiresInSec !== undefined) {
    const declaredEnd = issuedAt + expiresInSec * 1000;
    return jwtEnd === undefined ? declaredEnd : Math.min(declaredEnd, jwtEnd);
  }
  return jwtEnd ?? issuedAt + defaultLifetimeSec * 1000;
}
