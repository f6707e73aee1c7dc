/** compilePrefix: validates one configured URL prefix, once, into the form `test()` compares against. */
import { McaError, McaErrorCodes } from '../errors/index.js';
import { isLoopbackHostname } from './loopback.js';
import { lenientPath, normalizeHostname, normalizePercentEncoding, toPrefixPath } from './normalize.js';

export interface CompiledPrefix {
  /** `https:` or `http:`. */
  readonly protocol: string;
  /** WHATWG hostname (lower case, punycode, `[v6]`) without a trailing dot. */
  readonly hostname: string;
  /** `''` for the scheme's default port. */
  readonly port: string;
  /** `https://host[:port]`, serialized from the parsed URL (see fast-path.ts). */
  readonly origin: string;
  /** Percent-normalized WHATWG path, trailing slash dropped (`''` for the root). */
  readonly path: string;
  /** The same path as a lenient server sees it (see `lenientPath`). */
  readonly serverPath: string;
  /** What a request under this prefix gets: it depends only on the origin. */
  readonly verdict: 'match' | 'insecure';
}

const EXAMPLE = 'an absolute http(s) URL such as "https://api.example.com/v1"';

function invalid(label: string, message: string): McaError {
  return new McaError(McaErrorCodes.INVALID_OPTION, `${label} ${message}`, { option: label });
}

/**
 * @param value a string or URL from the user's configuration.
 * @param label the option's path for messages, e.g. `match[2]`.
 * Messages never echo what the user wrote unless it parsed without userinfo, and never echo a query:
 * a mistyped value may hold a password or an API key.
 */
export function compilePrefix(value: string | URL, label: string, allowInsecureHttp: boolean): CompiledPrefix {
  let url: URL;
  try {
    // Re-parse a URL's href: the caller's object is mutable and must not change our configuration later.
    url = new URL(typeof value === 'string' ? value : value.href);
  } catch {
    // No `cause`: Node's ERR_INVALID_URL carries the input, which may hold a password.
    throw invalid(label, `must be ${EXAMPLE}; it could not be parsed.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(label, `must be ${EXAMPLE}; its scheme is "${url.protocol}".`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid(label, 'must not contain userinfo (user:password@): credentials do not belong in a match prefix, and requests with userinfo never match.');
  }
  const shown = `"${url.origin}${url.pathname}"`;
  if (url.href.includes('?')) {
    throw invalid(label, `(${shown}) must not contain a query: matching ignores the query, so a prefix with one would match more than it says.`);
  }
  if (url.href.includes('#')) {
    throw invalid(label, `(${shown}) must not contain a fragment: matching ignores the fragment, so a prefix with one would match more than it says.`);
  }
  const hostname = normalizeHostname(url.hostname);
  if (hostname === '' || hostname.endsWith('.')) {
    throw invalid(label, `(${shown}) has no usable host name.`);
  }
  const serverPath = lenientPath(url.pathname);
  if (serverPath === undefined) {
    throw invalid(label, `(${shown}) is percent-encoded more than three levels deep; write its path decoded.`);
  }
  const host = url.port === '' ? hostname : `${hostname}:${url.port}`;
  return {
    protocol: url.protocol,
    hostname,
    port: url.port,
    origin: `${url.protocol}//${host}`,
    path: toPrefixPath(normalizePercentEncoding(url.pathname)),
    serverPath: toPrefixPath(serverPath),
    verdict: url.protocol === 'https:' || allowInsecureHttp || isLoopbackHostname(hostname) ? 'match' : 'insecure',
  };
}
