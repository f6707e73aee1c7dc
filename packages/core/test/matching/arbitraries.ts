/** fast-check arbitraries shared by the matching property tests: safe paths and adversarial URL parts. */
import fc from 'fast-check';

/** A path segment of characters that need no encoding and never form a dot segment. */
export const safeSegment = fc.stringMatching(/^[A-Za-z0-9_~-]{1,12}$/);

/** `''`, `/` or `/a/b...`: appended to a prefix path, it stays under it. */
export const safeTail = fc.oneof(
  fc.constant(''),
  fc.constant('/'),
  fc.array(safeSegment, { minLength: 1, maxLength: 5 }).map((segments) => `/${segments.join('/')}`),
  fc.array(safeSegment, { minLength: 1, maxLength: 3 }).map((segments) => `/${segments.join('/')}/`),
);

/** Anything after the path: the matcher ignores it, whatever it says. */
export const queryAndFragment = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 30 }).map((q) => `?${q}`),
  fc.string({ maxLength: 30 }).map((f) => `#${f}`),
  fc.constantFrom('?https://orders.example.com/api', '#/../../admin', '?/api', '?x=1&y=%2e%2e'),
);

/** A domain that is never a spelling of `avoid`. */
export function otherDomain(avoid: string): fc.Arbitrary<string> {
  return fc.oneof(fc.domain(), fc.constantFrom('evil.test', 'example.com', 'attacker.example')).filter((d) => {
    try {
      return new URL(`https://${d}/`).hostname.replace(/\.$/, '') !== avoid;
    } catch {
      return true;
    }
  });
}

/** A port other than `except`, sometimes zero-padded (WHATWG strips the zeros). */
export function otherPort(except: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 0, max: 65535 }).filter((p) => p !== except), fc.constantFrom('', '0', '00'))
    .map(([port, zeros]) => `${zeros}${port}`);
}

/** Separators a client or a lenient server may read as `/`. */
export const separator = fc.constantFrom('/', '\\', '%2f', '%2F', '%5c', '%5C', '%252f', '%255C');

/** Spellings of `..` that WHATWG or a lenient server resolve. */
export const dotDot = fc.constantFrom('..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '.%2E', '%2E.', '..;', '..;x=1', '%252e%252e', '.%252E', '%2e%2e;');

/** Inserts tabs, newlines and carriage returns at random positions: WHATWG strips them all. */
export function withTabsAndNewlines(url: fc.Arbitrary<string>): fc.Arbitrary<[string, string]> {
  return url.chain((u) =>
    fc
      .array(fc.tuple(fc.nat({ max: u.length }), fc.constantFrom('\t', '\n', '\r', '\r\n')), { minLength: 1, maxLength: 4 })
      .map((insertions): [string, string] => {
        let out = u;
        for (const [at, ws] of [...insertions].sort((a, b) => b[0] - a[0])) out = out.slice(0, at) + ws + out.slice(at);
        return [u, out];
      }),
  );
}
