/** Recognises a protected API asking for a DPoP nonce (RFC 9449 §9); the token endpoint's §8 answer is read in client-credentials.ts. */

/**
 * True when a `WWW-Authenticate` value holds a `DPoP` challenge whose `error` is `use_dpop_nonce` (RFC 9449 §9,
 * RFC 9110 §11.6.1: the scheme is case-insensitive, the error may be quoted or a token).
 */
export function asksForDpopNonce(wwwAuthenticate: string | undefined): boolean {
  if (wwwAuthenticate === undefined || wwwAuthenticate.length > 8192) return false;
  return /(?:^|[\s,])dpop\s[^]*?\berror\s*=\s*"?use_dpop_nonce"?/i.test(wwwAuthenticate);
}
