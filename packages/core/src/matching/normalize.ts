/** Normalizes hosts and paths the same way on the configured and the requested side. */

const SLASH = 47;
const PERCENT_TRIPLET = /%([0-9A-Fa-f]{2})/g;
const HAS_PERCENT_TRIPLET = /%[0-9A-Fa-f]{2}/;
const BACKSLASHES = /\\/g;
/** Without one of these, `lenientPath` has nothing to decode, cut or resolve. */
const LENIENT_TRIGGERS = /[%;\\]|\/\.\.?(?:\/|$)/;
/** Three passes undo `%25252e`; a path needing more is refused rather than decoded without bound. */
export const MAX_DECODE_PASSES = 3;

/** RFC 3986 §2.3 unreserved characters, indexed by char code. */
const UNRESERVED = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') UNRESERVED[c.charCodeAt(0)] = 1;

function decodeTriplet(_triplet: string, hex: string): string {
  return String.fromCharCode(parseInt(hex, 16));
}

function normalizeTriplet(_triplet: string, hex: string): string {
  const code = parseInt(hex, 16);
  return UNRESERVED[code] === 1 ? String.fromCharCode(code) : `%${hex.toUpperCase()}`;
}

/**
 * `orders.example.com.` names the same DNS node as `orders.example.com` (RFC 1034 §3.1: the trailing dot
 * only makes the name absolute), so one trailing dot is dropped. `example.com..` keeps a dot and can
 * never equal a configured host.
 */
export function normalizeHostname(hostname: string): string {
  return hostname.charCodeAt(hostname.length - 1) === 46 ? hostname.slice(0, -1) : hostname;
}

/**
 * RFC 3986 §6.2.2.1-2: percent-encoded unreserved characters are decoded (`%7e` → `~`, `%61` → `a`) and
 * every other triplet gets upper-case hex (`%c3%bc` → `%C3%BC`). `%25` is never decoded, so `%252e`
 * stays a literal, not a dot. Call it on a WHATWG pathname: dot segments are already resolved there, and
 * decoding a `.` cannot create a new one (WHATWG removed every segment that would decode to `.`/`..`).
 */
export function normalizePercentEncoding(path: string): string {
  return path.includes('%') ? path.replace(PERCENT_TRIPLET, normalizeTriplet) : path;
}

/**
 * The path as a lenient server may read it, so that no reading of it escapes the prefix: percent-decoded
 * up to {@link MAX_DECODE_PASSES} times (double decoding, CVE-2001-0333; `%2F`/`%5C` as separators,
 * Tomcat ALLOW_ENCODED_SLASH), backslashes as slashes (IIS), `;parameters` cut from each segment (Servlet
 * containers, so `..;` is `..`), then dot segments resolved (RFC 3986 §5.2.4). Decoded bytes stay one
 * char each: the result is only ever compared with another result of this function.
 *
 * @param path a WHATWG pathname, or a raw path whose non-ASCII characters are percent-encoded.
 * @returns `undefined` when the path is still percent-encoded after the last pass: nobody writes that
 *   legitimately, so the caller treats it as no match.
 */
export function lenientPath(path: string): string | undefined {
  if (!LENIENT_TRIGGERS.test(path)) return path;
  let decoded = path;
  for (let pass = 0; HAS_PERCENT_TRIPLET.test(decoded); pass++) {
    if (pass === MAX_DECODE_PASSES) return undefined;
    decoded = decoded.replace(PERCENT_TRIPLET, decodeTriplet);
  }
  const segments = decoded.replace(BACKSLASHES, '/').split('/');
  const out: string[] = [];
  const last = segments.length - 1;
  for (let i = 1; i <= last; i++) {
    let segment = segments[i] as string;
    const semicolon = segment.indexOf(';');
    if (semicolon !== -1) segment = segment.slice(0, semicolon);
    if (segment === '.' || segment === '..') {
      if (segment === '..') out.pop();
      if (i === last) out.push('');
      continue;
    }
    out.push(segment);
  }
  return `/${out.join('/')}`;
}

/**
 * A configured path without its one insignificant trailing slash: `/api/` → `/api`, `/` → ``, so
 * `isUnderPath` needs no special case for the root.
 */
export function toPrefixPath(path: string): string {
  return path.charCodeAt(path.length - 1) === SLASH ? path.slice(0, -1) : path;
}

/** True when `path` is `prefix` or lies below it on a segment boundary: `/api` covers `/api/x`, not `/apix`. */
export function isUnderPath(path: string, prefix: string): boolean {
  return path.startsWith(prefix) && (path.length === prefix.length || path.charCodeAt(prefix.length) === SLASH);
}
