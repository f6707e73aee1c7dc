/** `WWW-Authenticate: Bearer` (RFC 6750 §3) and `DPoP` (RFC 9449 §7.1) challenges. */

export type BearerErrorCode = 'invalid_token' | 'insufficient_scope';

/** RFC 9449 §7.1 and §9: the errors of the DPoP scheme beyond RFC 6750's. */
export type DpopErrorCode = 'invalid_token' | 'invalid_dpop_proof' | 'use_dpop_nonce';

/** RFC 6750 §3: error_description and scope allow %x20-21 / %x23-5B / %x5D-7E only. */
function quotable(value: string): string {
  return value.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

/**
 * Builds the challenge: only `realm` when no token was sent (RFC 6750 §3.1 says then SHOULD NOT
 * carry an error), `error` and `error_description` otherwise, and `scope` with insufficient_scope.
 */
export function bearerChallenge(realm: string, error?: BearerErrorCode, description?: string, scope?: string): string {
  let challenge = `Bearer realm="${quotable(realm)}"`;
  if (error) challenge += `, error="${error}"`;
  if (error && description) challenge += `, error_description="${quotable(description)}"`;
  if (error === 'insufficient_scope' && scope) challenge += `, scope="${quotable(scope)}"`;
  return challenge;
}

/** The DPoP challenge, with the accepted proof algorithms in `algs` (RFC 9449 §7.1). */
export function dpopChallenge(realm: string, error: DpopErrorCode, description: string, algs: readonly string[]): string {
  return `DPoP realm="${quotable(realm)}", error="${error}", error_description="${quotable(description)}", algs="${algs.join(' ')}"`;
}
