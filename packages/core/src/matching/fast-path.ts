/**
 * compileFastPath: answers a hit without `new URL()` when the request string is already in normal form.
 *
 * Why it equals the full parse (property-tested in test/matching/fast-path.test.ts): the string must
 * start with a prefix's origin, which we serialized from a parsed URL, followed by `/`, `?`, `#` or the
 * end, so scheme, host and port parse back to exactly that origin and the authority ends there (no `@`,
 * `:` or `\` can follow the host). The path must then hold only [A-Za-z0-9._~-] and `/` up to `?`, `#`
 * or the end, and no segment may be exactly `.` or `..`: so no dot segments; no tab, newline, backslash,
 * space or non-ASCII, so WHATWG neither strips, converts nor encodes anything and the pathname is the
 * text as written; no `%` or `;`, so percent normalization and the lenient views are the identity. What
 * follows `?`/`#` is query or fragment, which never changes the path and never makes parsing fail. Only
 * prefixes whose own path passes the same test take part. A regular expression, because V8 runs it
 * several times faster than a `charCodeAt` loop.
 */
import type { CompiledPrefix } from './url-prefix.js';

/** `/` and one segment that is not a dot segment, of characters WHATWG leaves alone. */
const SAFE_SEGMENT = '/(?!\\.\\.?(?:[/?#]|$))[A-Za-z0-9._~-]*';
const ALL_SAFE = new RegExp(`^(?:${SAFE_SEGMENT})*$`);
const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\/-]/g;

function escape(text: string): string {
  return text.replace(REGEXP_SPECIAL, '\\$&');
}

/** What must follow the origin: the prefix's path, then only safe segments up to `?`, `#` or the end (so on a segment boundary). */
function pathPatternOf(prefix: CompiledPrefix): string {
  return `${escape(prefix.path)}(?:${SAFE_SEGMENT})*(?:[?#]|$)`;
}

/** `origin + path`: the whole URL. */
function patternOf(prefix: CompiledPrefix): string {
  return `${escape(prefix.origin)}${pathPatternOf(prefix)}`;
}

function eligibleOf(prefixes: readonly CompiledPrefix[]): CompiledPrefix[] {
  return prefixes.filter((p) => p.path === p.serverPath && ALL_SAFE.test(p.path));
}

/**
 * The same test for a request that arrives split, as undici's `{ origin, path }`: an origin equal to a
 * prefix's, then a path that passes that prefix's path pattern, is exactly a string `origin + path`
 * the joined fast path accepts. Joining them first would cost a string flattening per request before
 * the regular expression runs (about 0.1–0.3 µs with its garbage). Any other split (an origin with a
 * path in it, odd case, a default port) is left to the full parse of the joined string.
 *
 * @returns a function giving the verdict of a hit, or `undefined` when only the full parse can tell.
 */
export function compileTargetFastPath(
  prefixes: readonly CompiledPrefix[],
): (origin: string, path: string) => 'match' | 'insecure' | undefined {
  const eligible = eligibleOf(prefixes);
  // A prefix's verdict depends only on its origin, so each origin has one verdict and one pattern.
  const byOrigin = new Map<string, { verdict: 'match' | 'insecure'; path: RegExp }>();
  for (const origin of new Set(eligible.map((p) => p.origin))) {
    const under = eligible.filter((p) => p.origin === origin);
    byOrigin.set(origin, { verdict: under[0]!.verdict, path: new RegExp(`^(?:${under.map(pathPatternOf).join('|')})`) });
  }
  return (origin, path) => {
    const entry = byOrigin.get(origin);
    return entry !== undefined && entry.path.test(path) ? entry.verdict : undefined;
  };
}

/**
 * @returns a function giving the verdict of a hit, or `undefined` when only the full parse can tell
 *   (every miss included).
 */
export function compileFastPath(prefixes: readonly CompiledPrefix[]): (input: string) => 'match' | 'insecure' | undefined {
  const eligible = eligibleOf(prefixes);
  const alternation = (verdict: string) => {
    const patterns = eligible.filter((p) => p.verdict === verdict).map(patternOf);
    return patterns.length === 0 ? undefined : new RegExp(`^(?:${patterns.join('|')})`);
  };
  const match = alternation('match');
  const insecure = alternation('insecure');
  return (input) => {
    if (match?.test(input) === true) return 'match';
    if (insecure?.test(input) === true) return 'insecure';
    return undefined;
  };
}
