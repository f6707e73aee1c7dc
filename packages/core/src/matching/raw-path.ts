/**
 * rawPathViews: the path of a request string as written, before WHATWG resolves its dot segments.
 *
 * Clients that send the path verbatim (undici `request`/`Dispatcher`, `http.request`) put this on the
 * wire, not the WHATWG pathname: `/api/x/../..;/../admin` parses to `/api/admin`, but Tomcat reads the
 * verbatim path as `/admin`. So a request string must also lie under the prefix read this way.
 */
import { lenientPaths } from './normalize.js';

const MAY_DIFFER = /[\\\t\n\r]|[/\\](?:\.|%2e)/i;
const NEEDS_CLEANUP = /[\t\n\r]|^[\u0000-\u0020]|[\u0000-\u0020]$/;
const TAB_OR_NEWLINE = /[\t\n\r]/g;
const C0_OR_SPACE_EDGES = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
const NON_ASCII = /[^\u0000-\u007f]/;
const NON_ASCII_RUN = /[^\u0000-\u007f]+/g;

const SLASH = 47;
const BACKSLASH = 92;
const QUESTION = 63;
const HASH = 35;

/**
 * False when the raw path, read leniently, is certainly the WHATWG pathname read leniently, so the
 * caller can skip `rawPathViews`. Besides trimming the ends (which `rawPathViews` does too), WHATWG changes
 * a path in only these ways: it removes tabs and newlines, turns `\` into `/`, resolves dot segments
 * (which start with `.` or `%2e` right after a slash), and percent-encodes some characters, which
 * `lenientPath` decodes again (an encoded character is never a hex digit or `%`, so it cannot form a
 * new triplet). Property-tested in test/matching/raw-path.test.ts.
 */
export function rawPathMayDiffer(input: string): boolean {
  return MAY_DIFFER.test(input);
}

/**
 * @param input a string that WHATWG URL parsed, without a base, as an http(s) URL.
 * @returns the raw path read leniently (see `lenientPath`), or `undefined` when it cannot be read
 *   (a lone surrogate, or encoded too deeply): the caller treats that as no match.
 *
 * The path is found the way WHATWG finds it for a special scheme with no base (URL Standard, basic URL
 * parser): tabs and newlines removed, C0 controls and spaces trimmed at both ends, the scheme up to the
 * first `:`, any run of `/` and `\`, the authority up to the first `/`, `\`, `?` or `#`, then the path
 * up to the first `?` or `#`.
 */
export function rawPathViews(input: string): readonly string[] | undefined {
  const url = NEEDS_CLEANUP.test(input) ? input.replace(TAB_OR_NEWLINE, '').replace(C0_OR_SPACE_EDGES, '') : input;
  const length = url.length;
  let i = url.indexOf(':') + 1;
  let code = url.charCodeAt(i);
  while (i < length && (code === SLASH || code === BACKSLASH)) code = url.charCodeAt(++i);
  while (i < length && code !== SLASH && code !== BACKSLASH && code !== QUESTION && code !== HASH) code = url.charCodeAt(++i);
  const start = i;
  while (i < length && code !== QUESTION && code !== HASH) code = url.charCodeAt(++i);
  let path = url.slice(start, i);
  if (NON_ASCII.test(path)) {
    try {
      // UTF-8 percent-encode non-ASCII, as WHATWG does, so both views decode to the same bytes.
      path = path.replace(NON_ASCII_RUN, encodeURIComponent);
    } catch {
      return undefined; // encodeURIComponent throws URIError on a lone surrogate
    }
  }
  return lenientPaths(path);
}
