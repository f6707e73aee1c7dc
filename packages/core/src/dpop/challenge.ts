/** Recognises a server asking for a DPoP nonce: RFC 9449 §9 (WWW-Authenticate) and §8 (token endpoint error body). */

/**
 * True when a `WWW-Authenticate` value holds a `DPoP` challenge whose `error` is `use_dpop_nonce` (RFC 9449 §9,
 * RFC 9110 §11.6.1: the scheme is case-insensitive, the error may be quoted or a token).
 */
export function asksForDpopNonce(wwwAuthenticate: string | undefined): boolean {
  if (wwwAuthenticate === undefined || wwwAuthenticate.length > 8192) return false;
  return /(?:^|[\s,])dpop\s[^]*?\berror\s*=\s*"?use_dpop_nonce"?/i.test(wwwAuthenticate);
}
