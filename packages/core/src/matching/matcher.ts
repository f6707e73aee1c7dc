/** createMatcher: compiles `match` once into the `test()` every outbound request goes through. */
import { McaError, McaErrorCodes } from '../errors/index.js';
import { compileFastPath, compileTargetFastPath } from './fast-path.js';
import { isLoopbackHostname } from './loopback.js';
import { rawPathMayDiffer, rawPathViews } from './raw-path.js';
import { isUnderPath, lenientPaths, normalizeHostname, normalizePercentEncoding } from './normalize.js';
import type { MatcherOptions, MatchInput, MatchPredicate, MatchVerdict, UrlMatcher } from './types.js';
import { compilePrefix, type CompiledPrefix } from './url-prefix.js';

function isUrl(value: unknown): value is URL {
  // `instanceof` fails for a URL from another realm (vm context, a second copy of Node's globals).
  return value instanceof URL || Object.prototype.toString.call(value) === '[object URL]';
}

function invalidOption(message: string, option?: string): McaError {
  return new McaError(McaErrorCodes.INVALID_OPTION, message, option === undefined ? {} : { option });
}

function parseRequestUrl(input: unknown): URL | undefined {
  if (typeof input === 'string') return new URL(input);
  if (input instanceof URL) return input;
  return isUrl(input) ? new URL(input.href) : undefined;
}

/**
 * Compiles `input` once into a {@link UrlMatcher} whose `test()` says whether a request URL gets the
 * token. Throws McaError `MCA_INVALID_OPTION`, naming the option and index, for a configuration error.
 *
 * **Prefixes.** A string or `URL` that is an absolute `http:`/`https:` URL. Rejected at configuration:
 * unparseable, another scheme, userinfo (`user:pass@`), a query or fragment (matching ignores both, so a
 * prefix holding one would match more than it appears to), an empty array, any other element type.
 * A plain-http non-loopback prefix is accepted, but its hits are `'insecure'` (see transport).
 *
 * **Origin.** Both sides are parsed by WHATWG URL, so scheme and host compare case-insensitively, IDN
 * hosts compare as punycode, IPv4/IPv6 literals in canonical form, and default ports are dropped
 * (`https://h:443/` is `https://h/`). Scheme, host and port must be equal: another port never matches,
 * and `http://h` never matches an `https://h` prefix. One trailing dot on a host is ignored on both sides
 * (`orders.example.com.` is the same DNS name); two are not.
 *
 * **Path.** A prefix covers its own path and everything below it on a segment boundary: `/api` matches
 * `/api`, `/api/` and `/api/x`, never `/apix`; `/api/` behaves like `/api`; `/` covers the whole origin.
 * Paths are case-sensitive (RFC 3986 §6.2.2.1). Before comparing, both sides are normalized:
 * - WHATWG resolves dot segments, including percent-encoded ones (`/api/../admin`, `/api/%2e%2E/admin`,
 *   `/api/.%2e/admin` are `/admin`), and turns backslashes into slashes.
 * - RFC 3986 §6.2.2.2: percent-encoded unreserved characters are decoded (`%7e` is `~`, `%61` is `a`), and
 *   other triplets compare with upper-case hex (`%c3%bc` is `%C3%BC`). `%25` stays encoded, so here
 *   `%252e` is not a dot (but see the next point).
 * - WHATWG keeps `%2F`, `%5C`, `%25` and `;` as data, but lenient servers decode `%2F`/`%5C` into
 *   slashes, decode twice, or drop `;parameters` (so `..;` is `..`). The path must also lie under the
 *   prefix when read that way (up to three decoding passes; a deeper encoding never matches):
 *   `/api%2f..%2fadmin`, `/api/x%2f..%2f..%2fadmin`, `/api/%252e%252e/admin` and `/api/..;/admin` do not
 *   match `/api`, and neither does `/api;v=1/x` (a false negative we accept).
 * - A request string's path as written (before WHATWG resolves it, as undici `request` and
 *   `http.request` send it) must lie under the prefix too, read the same lenient way:
 *   `/api/x/../..;/../admin` does not match, though WHATWG reads it as `/api/admin`. A `URL` object has
 *   no such text: clients serialize it, so its WHATWG path is what is sent.
 * - Every path must lie under the prefix in each reading common servers make (see `lenientPaths`:
 *   decoded once or fully, `;params` cut before or after decoding or kept, `//` merged or not, `\\` as
 *   `/` or as data), and a `..` that appears only through encoding, `;` or `\\` is never matched.
 * The query and fragment are ignored.
 *
 * **Requests.** `test()` takes an absolute URL string or a `URL`. Unparseable or relative input, another
 * scheme, or any userinfo (`https://user@h/`, `https://orders.example.com@evil.test/`) gives `'no-match'`,
 * before any predicate is asked. Tabs and newlines are stripped as WHATWG does, because clients that
 * parse with WHATWG URL (fetch, undici, got, axios) request the stripped URL.
 *
 * **Predicates.** Called with a private copy of the parsed request URL; only a return of exactly `true`
 * matches; a throw counts as no match and never propagates.
 *
 * **Transport.** A matching URL over `https:`, or over `http:` to a loopback host (see
 * {@link isLoopbackHostname}: `localhost`, 127.0.0.0/8, `[::1]`; not `*.localhost`), is `'match'`. Over
 * `http:` to any other host it is `'insecure'` (the caller warns and does not stamp), unless
 * `allowInsecureHttp` is true.
 *
 * **Several.** In an array, any element matching is a match.
 *
 * **Cost.** A request string already in normal form that hits a prefix is answered without parsing
 * (see fast-path.ts), and so is a split `testTarget(origin, path)`; anything else costs one `new URL()`.
 */
export function createMatcher(input: MatchInput, options: MatcherOptions = {}): UrlMatcher {
  if (typeof options !== 'object' || options === null) throw invalidOption('createMatcher options must be an object.');
  const optionName = options.optionName ?? 'match';
  if (typeof optionName !== 'string') throw invalidOption('optionName must be a string.');
  const allowInsecureHttp = options.allowInsecureHttp ?? false;
  if (typeof allowInsecureHttp !== 'boolean') throw invalidOption('allowInsecureHttp must be a boolean.');

  const isList = Array.isArray(input);
  const elements: readonly unknown[] = isList ? (input as readonly unknown[]) : [input];
  if (elements.length === 0) {
    throw invalidOption(`${optionName} must not be an empty array: list at least one URL prefix or predicate.`, optionName);
  }
  const prefixes: CompiledPrefix[] = [];
  const predicates: MatchPredicate[] = [];
  elements.forEach((element, index) => {
    const label = isList ? `${optionName}[${index}]` : optionName;
    if (typeof element === 'function') predicates.push(element as MatchPredicate);
    else if (typeof element === 'string' || isUrl(element)) prefixes.push(compilePrefix(element, label, allowInsecureHttp));
    else {
      const got = element === null ? 'null' : Array.isArray(element) ? 'an array' : typeof element;
      throw invalidOption(`${label} must be a URL string, a URL or a function; got ${got}.`, label);
    }
  });

  function verdictFor(protocol: string, hostname: string): MatchVerdict {
    return protocol === 'https:' || allowInsecureHttp || isLoopbackHostname(hostname) ? 'match' : 'insecure';
  }

  /**
   * @param raw the request as the caller wrote it, when it was a string: its verbatim path must also
   *   lie under the prefix (see raw-path.ts).
   */
  function prefixVerdict(url: URL, protocol: string, hostname: string, raw: string | undefined): MatchVerdict | undefined {
    let path: string | undefined;
    let serverPaths: readonly string[] | undefined;
    let rawPaths: readonly string[] | undefined;
    for (const prefix of prefixes) {
      if (prefix.hostname !== hostname || prefix.protocol !== protocol || prefix.port !== url.port) continue;
      if (path === undefined) {
        const pathname = url.pathname;
        path = normalizePercentEncoding(pathname);
        serverPaths = lenientPaths(pathname);
        rawPaths = raw !== undefined && rawPathMayDiffer(raw) ? rawPathViews(raw) : serverPaths;
      }
      // Encoded too deeply, or unreadable: nobody can say where it lands.
      if (serverPaths === undefined || rawPaths === undefined) return undefined;
      const serverPath = prefix.serverPath;
      const under = (view: string): boolean => isUnderPath(view, serverPath);
      if (isUnderPath(path, prefix.path) && serverPaths.every(under) && rawPaths.every(under)) {
        return prefix.verdict;
      }
    }
    return undefined;
  }

  function slowTest(input: unknown): MatchVerdict {
    const url = parseRequestUrl(input);
    if (url === undefined) return 'no-match';
    const protocol = url.protocol;
    if (protocol !== 'https:' && protocol !== 'http:') return 'no-match';
    if (url.username !== '' || url.password !== '') return 'no-match';
    const hostname = normalizeHostname(url.hostname);
    const hit = prefixVerdict(url, protocol, hostname, typeof input === 'string' ? input : undefined);
    if (hit !== undefined) return hit;
    if (predicates.length > 0) {
      const href = url.href;
      for (const predicate of predicates) {
        try {
          if (predicate(new URL(href)) === true) return verdictFor(protocol, hostname);
        } catch {
          // A broken predicate must not break the request, nor leak the token: no match.
        }
      }
    }
    return 'no-match';
  }

  const fastVerdict = prefixes.length > 0 ? compileFastPath(prefixes) : undefined;
  const fastTargetVerdict = prefixes.length > 0 ? compileTargetFastPath(prefixes) : undefined;

  function test(url: string | URL): MatchVerdict {
    try {
      if (fastVerdict !== undefined) {
        // A URL's href is its own WHATWG serialization, so the string fast path judges it exactly as the
        // full parse would (got hands us URL objects: 258 ns a hit through the parse, ~90 through here).
        const fast = typeof url === 'string' ? fastVerdict(url) : isUrl(url) ? fastVerdict(url.href) : undefined;
        if (fast !== undefined) return fast;
      }
      return slowTest(url);
    } catch {
      return 'no-match';
    }
  }

  function testTarget(origin: string, path: string): MatchVerdict {
    try {
      const fast = fastTargetVerdict?.(origin, path);
      return fast !== undefined ? fast : test(`${origin}${path}`);
    } catch {
      return 'no-match';
    }
  }

  return { test, testTarget };
}
