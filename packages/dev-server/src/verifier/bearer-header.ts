/** Parsing `Authorization: Bearer <access> [<id>]` or `DPoP <access>` without ever throwing. */

/** RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export type BearerHeader =
  | { kind: 'absent' }
  | { kind: 'malformed'; reason: string }
  | { kind: 'bearer'; accessToken: string; idToken?: string }
  /** RFC 9449 §7.1: `Authorization: DPoP <token68>`. */
  | { kind: 'dpop'; accessToken: string };

/**
 * Reads the header. A missing header, or one with another scheme, is `absent` (RFC 6750 §3.1: no
 * error code then). The MCA SDK sent a second, optional ID token after the access token; like the
 * old MCA validator we accept runs of spaces between the parts.
 */
export function parseBearerHeader(header: string | string[] | undefined): BearerHeader {
  if (header === undefined) return { kind: 'absent' };
  if (typeof header !== 'string') return { kind: 'malformed', reason: 'more than one Authorization header' };
  const parts = header.trim().split(/ +/);
  const scheme = parts[0]!.toLowerCase();
  if (scheme === 'dpop') {
    if (parts.length !== 2 || !B64TOKEN.test(parts[1]!)) return { kind: 'malformed', reason: 'DPoP needs exactly one token68' };
    return { kind: 'dpop', accessToken: parts[1]! };
  }
  if (scheme !== 'bearer') return { kind: 'absent' };
  if (parts.length < 2) return { kind: 'malformed', reason: 'no token after Bearer' };
  if (parts.length > 3) return { kind: 'malformed', reason: 'too many parts after Bearer' };
  const [, accessToken, idToken] = parts as [string, string, string | undefined];
  if (!B64TOKEN.test(accessToken) || (idToken !== undefined && !B64TOKEN.test(idToken))) {
    return { kind: 'malformed', reason: 'token has characters outside b64token' };
  }
  return idToken === undefined ? { kind: 'bearer', accessToken } : { kind: 'bearer', accessToken, idToken };
}
