/** When a token expires: `expires_in`, else the JWT's `exp`, else a configured default. */
import { decodeJwt } from 'jose';

function jwtExpiry(accessToken: string): number | undefined {
  if (accessToken.split('.').length !== 3) return undefined;
  try {
    const { exp } = decodeJwt(accessToken);
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export function expiryOf(accessToken: string, expiresInSec: number | undefined, issuedAt: number, defaultLifetimeSec: number): number {
  if (expiresInSec !== undefined) return issuedAt + expiresInSec * 1000;
  const exp = jwtExpiry(accessToken);
  if (exp !== undefined && exp > issuedAt) return exp;
  return issuedAt + defaultLifetimeSec * 1000;
}
