/** Oracle properties: `test()` never throws, whatever it is given, and its verdict is one of three. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createMatcher, type MatchVerdict } from '../../src/matching/index.js';

const VERDICTS: readonly MatchVerdict[] = ['match', 'no-match', 'insecure'];
const matcher = createMatcher([
  'https://orders.example.com/api',
  'http://localhost:3000/',
  'http://plain.example/x',
  (u) => u.pathname.startsWith('/p/'),
  () => {
    throw new Error('a predicate that always throws');
  },
]);

function verdictOf(input: unknown): MatchVerdict {
  return matcher.test(input as string);
}

describe('test()', () => {
  it('never throws on random strings, and answers no-match for anything that does not parse', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const verdict = verdictOf(s);
        expect(VERDICTS).toContain(verdict);
        if (!URL.canParse(s)) expect(verdict).toBe('no-match');
      }),
      { numRuns: 2_000 },
    );
  });

  it('never throws on random text after a protected origin', () => {
    const near = fc
      .tuple(
        fc.constantFrom('https://orders.example.com', 'https://orders.example.com/api', 'http://localhost:3000', 'http://plain.example/x', 'https:', 'http:\\\\'),
        fc.string({ unit: 'binary', maxLength: 80 }),
      )
      .map(([a, b]) => a + b);
    fc.assert(
      fc.property(near, (s) => {
        expect(VERDICTS).toContain(verdictOf(s));
      }),
      { numRuns: 2_000 },
    );
  });

  it('never throws on random web URLs, and agrees with the URL object when the string is normalized', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (s) => {
        const verdict = verdictOf(s);
        expect(VERDICTS).toContain(verdict);
        if (new URL(s).href === s) expect(verdictOf(new URL(s))).toBe(verdict);
      }),
      { numRuns: 1_000 },
    );
  });

  it('never throws on values of any type', () => {
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true, withMap: true, withSet: true }), (value) => {
        expect(verdictOf(value)).toBe('no-match');
      }),
      { numRuns: 500 },
    );
  });

  it('gives no-match for objects whose getters throw', () => {
    const hostile = Object.defineProperty(Object.create(URL.prototype), 'href', {
      get() {
        throw new Error('hostile getter');
      },
    });
    expect(verdictOf(hostile)).toBe('no-match');
    expect(verdictOf(new Proxy({}, { get: () => { throw new Error('trap'); } }))).toBe('no-match');
  });
});
