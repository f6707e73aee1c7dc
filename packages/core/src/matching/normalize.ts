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

/** One way a server may read a path. */
interface Reading {
  /** Decode once (nginx, most servers) or until nothing is left to decode (double-decoding servers). */
  readonly decodeOnce: boolean;
  /**
   * `;parameters`: cut from each segment after decoding, before it (Tomcat strips them from the raw path, so
   * `..;x%2fapi` is `..`), or kept as data (nginx).
   */
  readonly parameters: 'cut-after-decoding' | 'cut-before-decoding' | 'kept';
  /** nginx (merge_slashes), Apache and Tomcat merge `//` before resolving dot segments. */
  readonly mergeSlashes: boolean;
  /** IIS reads `\` as `/`; nginx keeps it as data (only a path sent verbatim can still hold one). */
  readonly backslashIsSlash: boolean;
}

const DEFAULT_READING: Reading = { decodeOnce: false, parameters: 'cut-after-decoding', mergeSlashes: false, backslashIsSlash: true };

// A decoded %5C is a backslash too, so both readings of it apply to every path, not only verbatim ones.
const SERVER_READINGS: readonly Reading[] = [false, true].flatMap((decodeOnce) =>
  (['cut-after-decoding', 'cut-before-decoding', 'kept'] as const).flatMap((parameters) =>
    [false, true].flatMap((mergeSlashes) => [true, false].map((backslashIsSlash) => ({ decodeOnce, parameters, mergeSlashes, backslashIsSlash }))),
  ),
);

const PARAMETERS_IN_SEGMENT = /;[^/]*/g;

const OBSCURING = /[%;\\]/;
const DOT_DOT_SEGMENT = /(?:^|[/\\;])\.\.(?:$|[/\\;])/;

/**
 * A `..` segment that only appears through encoding, `;` or `\\`: servers disagree on how to read those
 * (decoding once or more, cutting `;params` before or after, `\\` as `/` or as data), and no finite list of
 * readings covers them all, so such a path is not matched at all. A plain `/api/x/../y` is not affected.
 */
function hidesDotDot(path: string): boolean {
  if (!OBSCURING.test(path)) return false;
  let text = path;
  for (let pass = 0; pass <= MAX_DECODE_PASSES; pass++) {
    if (DOT_DOT_SEGMENT.test(text)) return true;
    if (!HAS_PERCENT_TRIPLET.test(text)) return false;
    text = text.replace(PERCENT_TRIPLET, decodeTriplet);
  }
  return DOT_DOT_SEGMENT.test(text);
}

/** Percent-decoded until no triplet is left, or `undefined` past {@link MAX_DECODE_PASSES}. */
function fullyDecoded(path: string): string | undefined {
  let decoded = path;
  for (let pass = 0; HAS_PERCENT_TRIPLET.test(decoded); pass++) {
    if (pass === MAX_DECODE_PASSES) return undefined;
    decoded = decoded.replace(PERCENT_TRIPLET, decodeTriplet);
  }
  return decoded;
}

/** The path as `reading` sees it, dot segments resolved (RFC 3986 §5.2.4); `undefined` if encoded too deeply. */
function read(path: string, reading: Reading): string | undefined {
  const raw = reading.parameters === 'cut-before-decoding' ? path.replace(PARAMETERS_IN_SEGMENT, '') : path;
  const decoded = reading.decodeOnce ? raw.replace(PERCENT_TRIPLET, decodeTriplet) : fullyDecoded(raw);
  if (decoded === undefined) return undefined;
  const segments = (reading.backslashIsSlash ? decoded.replace(BACKSLASHES, '/') : decoded).split('/');
  const out: string[] = [];
  const last = segments.length - 1;
  for (let i = 1; i <= last; i++) {
    let segment = segments[i] as string;
    if (reading.parameters === 'cut-after-decoding') {
      const semicolon = segment.indexOf(';');
      if (semicolon !== -1) segment = segment.slice(0, semicolon);
    }
    if (reading.mergeSlashes && segment === '' && i !== last) continue;
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
  return LENIENT_TRIGGERS.test(path) ? read(path, DEFAULT_READING) : path;
}

/**
 * Every reading of the path that common servers make: decoded once or fully; `;params` cut after decoding,
 * before it (Tomcat), or kept as data (nginx); `//` kept or merged first (nginx, Apache, Tomcat). So
 * `/api//..;/admin` (Tomcat: `/admin`), `/api/..%2fapi;x` (nginx: `/api;x`) and `/api/..;x%2fapi/y`
 * (Tomcat: `/y`) are seen for what they are; `\\` (or a decoded `%5C`) is read both as `/` (IIS) and as
 * data (nginx). A request matches only when every reading lies under the prefix.
 *
 * @returns `undefined` when the path is encoded too deeply to read (see {@link lenientPath}).
 */
export function lenientPaths(path: string): readonly string[] | undefined {
  if (!LENIENT_TRIGGERS.test(path)) return [path];
  if (hidesDotDot(path)) return undefined;
  const views = new Set<string>();
  for (const reading of SERVER_READINGS) {
    const view = read(path, reading);
    if (view === undefined) return undefined;
    views.add(view);
  }
  return [...views];
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
