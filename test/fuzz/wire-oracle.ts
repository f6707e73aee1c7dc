/**
 * The fuzz tests' oracle: given a request as its client puts it on the wire, could it reach a path under the
 * protected prefix? Written without core's matching code, from how servers read a request-target.
 */

/** A request as it leaves the client: where it connects, and the request-target it sends. */
export interface WireRequest {
  /** From the client's own parse (WHATWG URL): `https:`, `orders.example.com`, `''` for the default port. */
  readonly protocol: string;
  readonly hostname: string;
  readonly port: string;
  /** The request-target exactly as sent: `/path?query` (undici sends the caller's path verbatim). */
  readonly target: string;
}

/**
 * - `outside`: no reading of the request lands under the prefix.
 * - `escapes`: some common server reading lands outside the prefix (another reading may land inside).
 * - `unsure`: every common reading lands inside, but an exotic one (old IIS or Tomcat bugs) does not.
 * - `inside`: every reading lands inside.
 * A token may go only where the verdict is `inside` or `unsure`.
 */
export type Verdict = 'outside' | 'escapes' | 'unsure' | 'inside';

const TRIPLET = /%([0-9A-Fa-f]{2})/g;
const HAS_TRIPLET = /%[0-9A-Fa-f]{2}/;

function decodeOnce(path: string): string {
  return path.replace(TRIPLET, (_triplet, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** RFC 3986 §6.2.2.2: `%61pi` and `api` are the same URI; only unreserved characters are decoded. */
function decodeUnreserved(path: string): string {
  return path.replace(TRIPLET, (triplet, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9._~-]/.test(char) ? char : triplet;
  });
}

/** Servlet containers drop `;parameters` from each segment, so `..;` is `..`. */
function cutSegmentParameters(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      const semicolon = segment.indexOf(';');
      return semicolon === -1 ? segment : segment.slice(0, semicolon);
    })
    .join('/');
}

/** RFC 3986 §5.2.4, on a path that starts with `/`. */
function removeDotSegments(path: string): string {
  const segments = path.split('/').slice(1);
  const out: string[] = [];
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '.' || segment === '..') {
      if (segment === '..') out.pop();
      if (last) out.push('');
      return;
    }
    out.push(segment);
  });
  return `/${out.join('/')}`;
}

/** The path of a request-target, up to its query or, as nginx, Apache and Node's URL parsers do, a `#`. */
function pathOf(target: string): string {
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/** One way a server turns a request path into the path it routes on. */
interface ServerReading {
  /** `unreserved`: RFC 3986 §6.2.2.2 only (`%61` is `a`); a number: that many full percent-decoding passes. */
  readonly decode: 'unreserved' | 1 | 2 | 3;
  /** `\` read as `/`. */
  readonly backslash: boolean;
  /** `;parameters` cut from each segment, before or after decoding. */
  readonly cut?: 'before' | 'after';
  /** Runs of `/` merged into one before dot segments are resolved. */
  readonly merge: boolean;
}

/**
 * How common servers read a path, each then resolving dot segments (RFC 3986 §5.2.4). Servers, not every
 * combination of their habits: combining old bugs freely would flag readings no server makes.
 */
const COMMON_READINGS: readonly ServerReading[] = [
  // Routers that follow RFC 3986 (Node servers, often after `new URL(req.url, base)`).
  { decode: 'unreserved', backslash: false, merge: false },
  // nginx (`merge_slashes`) and Apache (`MergeSlashes`), both on by default; `\` is data on Unix.
  { decode: 'unreserved', backslash: false, merge: true },
  { decode: 1, backslash: false, merge: true },
  // Tomcat: path parameters cut first, then decoded, then `//` merged (RequestUtil.normalize); ALLOW_BACKSLASH.
  { decode: 1, backslash: false, cut: 'before', merge: true },
  { decode: 1, backslash: true, cut: 'before', merge: true },
  // IIS: backslashes as slashes, and its double-decoding bug (CVE-2001-0333).
  { decode: 1, backslash: true, merge: false },
  { decode: 2, backslash: true, merge: false },
  // What core's README promises to guard against: up to three decodings, `\`, `;parameters` (Servlet containers).
  { decode: 1, backslash: true, cut: 'after', merge: false },
  { decode: 2, backslash: true, cut: 'after', merge: false },
  { decode: 3, backslash: true, cut: 'after', merge: false },
];

function read(path: string, reading: ServerReading): string {
  let text = reading.cut === 'before' ? cutSegmentParameters(path) : path;
  if (reading.decode === 'unreserved') text = decodeUnreserved(text);
  else for (let pass = 0; pass < reading.decode && HAS_TRIPLET.test(text); pass++) text = decodeOnce(text);
  if (reading.backslash) text = text.replaceAll('\\', '/');
  if (reading.cut === 'after') text = cutSegmentParameters(text);
  if (reading.merge) text = text.replace(/\/{2,}/g, '/');
  return removeDotSegments(text);
}

function commonReadings(path: string): Set<string> {
  const readings = new Set(COMMON_READINGS.map((reading) => read(path, reading)));
  try {
    // A Node server that parses `req.url` with WHATWG URL reads the path that parse gives.
    readings.add(read(new URL(path, 'http://server.invalid').pathname, COMMON_READINGS[0]!));
  } catch {
    // Unparsable for WHATWG: that reading does not exist.
  }
  return readings;
}

/**
 * Readings only old or broken servers make, or combinations no one server makes: up to six decoding passes
 * with every habit at once, overlong UTF-8 dots and slashes (Tomcat CVE-2008-2938), IIS's `%uXXXX`, a `#`
 * read as part of the path, case-insensitive paths, and a router that compares the path undecoded (`/%61pi`
 * is not `/api` to it, though RFC 3986 says it is).
 */
function exoticReadings(path: string, target: string): Set<string> {
  const variants = [
    path,
    path.replace(/%c0%ae/gi, '.').replace(/%c0%af/gi, '/'),
    path.replace(/%u002e/gi, '.').replace(/%u002f/gi, '/').replace(/%u005c/gi, '/'),
    path.toLowerCase(),
    target.includes('?') ? target.slice(0, target.indexOf('?')) : target,
  ];
  let decoded = path;
  for (let pass = 0; pass < 6 && HAS_TRIPLET.test(decoded); pass++) variants.push((decoded = decodeOnce(decoded)));
  const readings = new Set<string>();
  for (const variant of variants) {
    const slashed = variant.replaceAll('\\', '/');
    for (const text of [variant, slashed, cutSegmentParameters(slashed)]) {
      readings.add(removeDotSegments(text));
      readings.add(removeDotSegments(text.replace(/\/{2,}/g, '/')));
    }
  }
  return readings;
}

export interface Oracle {
  judge(request: WireRequest): Verdict;
}

/** @param prefix the protected prefix, an absolute URL whose path has no dot segments, encodings or `;`. */
export function createOracle(prefix: string): Oracle {
  const protectedUrl = new URL(prefix);
  const protectedPath = protectedUrl.pathname.replace(/\/$/, '');
  const isUnder = (path: string): boolean => path === protectedPath || path.startsWith(`${protectedPath}/`) || protectedPath === '';

  function sameOrigin(request: WireRequest): boolean {
    const hostname = request.hostname.toLowerCase().replace(/\.$/, '');
    const defaultPort = request.protocol === 'https:' ? '443' : '80';
    const port = request.port === defaultPort ? '' : request.port;
    return request.protocol === protectedUrl.protocol && hostname === protectedUrl.hostname && port === protectedUrl.port;
  }

  function judgeTarget(target: string): Verdict {
    // A request-target in absolute form (RFC 9112 §3.2.2) names its own host: the server must use it.
    if (!target.startsWith('/')) {
      try {
        const url = new URL(target);
        return judgeRequest({ protocol: url.protocol, hostname: url.hostname, port: url.port, target: url.pathname + url.search });
      } catch {
        return 'outside';
      }
    }
    const path = pathOf(target);
    const common = [...commonReadings(path)].map(isUnder);
    const exotic = [...exoticReadings(path, target)].map(isUnder);
    if (!common.includes(false)) return exotic.includes(false) ? 'unsure' : 'inside';
    return common.includes(true) || exotic.includes(true) ? 'escapes' : 'outside';
  }

  function judgeRequest(request: WireRequest): Verdict {
    return sameOrigin(request) ? judgeTarget(request.target) : 'outside';
  }

  return { judge: judgeRequest };
}
