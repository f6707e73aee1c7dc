/** The fast path answers exactly what the full parse answers, and does answer the common hits. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { compileFastPath, compileTargetFastPath } from '../../src/matching/fast-path.js';
import { createMatcher } from '../../src/matching/index.js';
import { compilePrefix } from '../../src/matching/url-prefix.js';
import { queryAndFragment, safeTail } from './arbitraries.js';

const PREFIXES = [
  'https://orders.example.com/api',
  'https://orders.example.com/v2/items/',
  'https://orders.example.com:8443',
  'http://localhost:3000/dev',
  'http://[::1]:3000/',
  'http://plain.example/x',
  'https://orders.example.com/a%2fb/c;d',
];
const matcher = createMatcher(PREFIXES);
const compiled = PREFIXES.map((p, i) => compilePrefix(p, `match[${i}]`, false));
const fastVerdict = compileFastPath(compiled);
const fastTargetVerdict = compileTargetFastPath(compiled);

/** Origins that are, or are one character away from, a configured one. */
const origin = fc.constantFrom(
  'https://orders.example.com',
  'https://orders.example.com:8443',
  'http://localhost:3000',
  'http://[::1]:3000',
  'http://plain.example',
  'https://Orders.example.com',
  'https://orders.example.com.',
  'https://orders.example.com:443',
  'https://orders.example.com.evil.test',
  'https://orders.example.com@evil.test',
  'http://orders.example.com',
  'https://orders.example.co',
  'http://localhost:30000',
  'http://[::1]:3000@evil.test',
);

/** Paths mostly of safe characters, salted with everything that must send the fast path away. */
const saltedPath = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('api', 'v2', 'items', 'dev', 'x', 'a', 'b', 'c', 'A', '-', '_', '~', '0') },
      { weight: 4, arbitrary: fc.constant('/') },
      { weight: 2, arbitrary: fc.constantFrom('.', '..', '...', '.json', 'v1.2', '.well-known', '..x', '%2e', '%2E', '%2f', '%5c', '%61', '%7e', ';', ';d', '\\', '\t', '\n', ' ', '@', ':', 'é', '\u0000', '%') },
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** Half the time a configured path followed by salted text, so that hits are common. */
const path = fc.oneof(
  saltedPath,
  fc.tuple(fc.constantFrom('/api', '/v2/items', '/dev', '/x', '/', '/a%2fb/c;d'), saltedPath).map(([p, rest]) => p + rest),
);

/** Already-normalized hits and near-misses: the fast path's home ground. */
const normalForm = fc
  .tuple(
    fc.constantFrom('https://orders.example.com', 'https://orders.example.com:8443', 'http://localhost:3000', 'http://[::1]:3000', 'http://plain.example'),
    fc.constantFrom('/api', '/v2/items', '/v2', '/dev', '/x', '', '/apix', '/a', '/api/v1.2', '/api/.well-known', '/api/a.json'),
    safeTail,
  )
  .map(([o, p, tail]) => `${o}${p}${tail}`);

/** A request as undici holds it: an origin (sometimes with a path in it) and a path. */
const splitRequest = fc.oneof(
  fc.tuple(fc.oneof(origin, fc.constantFrom('https://orders.example.com/api', 'https://orders.example.com/')), path),
  fc.tuple(
    fc.constantFrom('https://orders.example.com', 'https://orders.example.com:8443', 'http://localhost:3000', 'http://[::1]:3000', 'http://plain.example'),
    fc.tuple(fc.constantFrom('/api', '/v2/items', '/v2', '/dev', '/x', '', '/apix', '/api/.well-known'), safeTail).map(([p, tail]) => p + tail),
  ),
);

const url = fc
  .tuple(fc.oneof(fc.tuple(origin, path).map(([o, p]) => o + p), normalForm), queryAndFragment)
  .map(([u, rest]) => u + rest);

describe('fast path', () => {
  it('gives every string the verdict of the full parse, for about 5,000 near-normal URLs', () => {
    let fastHits = 0;
    fc.assert(
      fc.property(url, (s) => {
        const fast = fastVerdict(s);
        // A leading space keeps the fast path away; WHATWG and the raw-path view both trim it.
        const slow = matcher.test(` ${s}`);
        expect(matcher.test(s)).toBe(slow);
        if (fast !== undefined) {
          fastHits++;
          expect(fast).toBe(slow);
          expect(matcher.test(new URL(s))).toBe(fast);
        }
      }),
      { numRuns: 5_000 },
    );
    // Not vacuous: a good share of the generated URLs took the fast path.
    expect(fastHits).toBeGreaterThan(1_000);
  });

  it('judges a URL object exactly as the full parse judges its href, for about 5,000 URLs', () => {
    fc.assert(
      fc.property(url, (s) => {
        if (!URL.canParse(s)) return;
        const parsed = new URL(s);
        // The leading space keeps the fast path away from the string: this is the full parse's verdict.
        expect(matcher.test(parsed)).toBe(matcher.test(` ${parsed.href}`));
      }),
      { numRuns: 5_000 },
    );
  });

  it('judges a split request (origin, path) exactly as the joined string, for about 5,000 splits', () => {
    let fastHits = 0;
    fc.assert(
      fc.property(splitRequest, queryAndFragment, ([o, p], rest) => {
        const target = `/${p.replace(/^\/+/, '')}${rest}`;
        expect(matcher.testTarget(o, target)).toBe(matcher.test(o + target));
        const fast = fastTargetVerdict(o, target);
        if (fast !== undefined) {
          fastHits++;
          expect(fast).toBe(matcher.test(` ${o}${target}`));
        }
      }),
      { numRuns: 5_000 },
    );
    expect(fastHits).toBeGreaterThan(1_000);
  });

  it('answers the common hit without parsing', () => {
    expect(fastVerdict('https://orders.example.com/api/orders/42?expand=lines')).toBe('match');
    expect(fastVerdict('http://plain.example/x/y')).toBe('insecure');
    expect(fastVerdict('https://orders.example.com:8443?q')).toBe('match');
    expect(fastTargetVerdict('https://orders.example.com', '/api/orders/42?expand=lines')).toBe('match');
    expect(fastTargetVerdict('http://plain.example', '/x/y')).toBe('insecure');
    // Another split of the same URL is left to the full parse, which still matches it.
    expect(fastTargetVerdict('https://orders.example.com/api', '/orders')).toBeUndefined();
    expect(matcher.testTarget('https://orders.example.com/api', '/orders')).toBe('match');
  });

  it('leaves to the full parse anything that is not in normal form', () => {
    for (const s of [
      'https://orders.example.com/api/../admin',
      'https://orders.example.com/api/%2e%2e/admin',
      'https://orders.example.com/api\\x',
      'https://orders.example.com/api/a\tb',
      'HTTPS://orders.example.com/api',
      'https://orders.example.com.evil.test/api',
      'https://orders.example.com/apix',
    ]) {
      expect(fastVerdict(s)).toBeUndefined();
    }
  });
});
