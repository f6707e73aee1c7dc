/** Reading granted scopes from either token dialect. */
import type { JWTPayload } from 'jose';

/**
 * Collects scopes from `scope` (RFC 9068 §2.2.3: space-separated string; arrays accepted too)
 * and from MCA's flat `imf.scope` claim, which was a string here and an object keyed by scope
 * name in older IBM tokens; a nested `imf: { scope }` is read as well.
 */
export function grantedScopes(payload: JWTPayload): Set<string> {
  const scopes = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const s of value.split(' ')) if (s !== '') scopes.add(s);
    } else if (Array.isArray(value)) {
      for (const s of value) if (typeof s === 'string') scopes.add(s);
    } else if (typeof value === 'object' && value !== null) {
      for (const s of Object.keys(value)) scopes.add(s);
    }
  };
  add(payload.scope);
  add(payload['imf.scope']);
  const imf = payload['imf'];
  if (typeof imf === 'object' && imf !== null) add((imf as Record<string, unknown>)['scope']);
  return scopes;
}
