/**
 * 12,000 adversarial got requests (input, prefixUrl, searchParams) through got's real URL resolution and hooks,
 * judged by the URL got hands its request function.
 */
import fc from 'fast-check';
import { adversarialUrl, baseUrl, harmlessQuery, protectedOrigin, protectedUrl, relativeUrl, safeTail } from './adversarial-urls.js';
import { startFuzzAuth, type FuzzAuth } from './fuzz-auth.js';
import { fuzz, fuzzPositives, summary, URLS_PER_RUN, type PositiveTally, type Tally } from './fuzz-run.js';
import { describeGotCase, recordingGot, sendGot, type GotCase } from './got-recorder.js';

const searchParams = fc.constantFrom<GotCase['searchParams']>(undefined, undefined, { q: 'x' }, { next: '/../../admin', '#': '/..' }, 'a=../b&c=%2e%2e');

/** got wants a URL object sometimes: it skips the string parsing, not the checks. */
function asUrlSometimes(input: string, asUrl: boolean): string | URL {
  return asUrl && URL.canParse(input) ? new URL(input) : input;
}

const adversarialCases: fc.Arbitrary<GotCase> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(adversarialUrl, fc.boolean(), searchParams).map(([url, asUrl, sp]) => ({ input: asUrlSometimes(url, asUrl), searchParams: sp })) },
  // With prefixUrl, got refuses an input that starts with a slash: some cases test that too.
  { weight: 5, arbitrary: fc.record({ prefixUrl: baseUrl, input: relativeUrl, searchParams }) },
);

const positiveCases: fc.Arbitrary<GotCase> = fc.oneof(
  fc.tuple(protectedUrl, fc.boolean()).map(([url, asUrl]) => ({ input: asUrlSometimes(url, asUrl) })),
  fc.tuple(protectedOrigin, safeTail, harmlessQuery).map(([origin, tail, query]) => ({ prefixUrl: origin, input: `api${tail}${query}` })),
  fc
    .tuple(protectedOrigin, fc.constantFrom('/api', '/api/'), safeTail, harmlessQuery)
    .map(([origin, base, tail, query]) => ({ prefixUrl: `${origin}${base}`, input: `${tail.replace(/^\//, '')}${query}`, searchParams: { q: '/../x' } })),
);

let auth: FuzzAuth;
let tally: Tally;
let positives: PositiveTally;

beforeAll(async () => {
  auth = await startFuzzAuth();
  const client = recordingGot(auth.options());
  const options = { describe: describeGotCase, send: (c: GotCase) => sendGot(client, c), concurrency: 25 };
  positives = await fuzzPositives({ ...options, cases: positiveCases, count: 1_000 });
  tally = await fuzz({ ...options, cases: adversarialCases, count: URLS_PER_RUN.got });
  console.log(summary('got', tally, positives));
}, 120_000);

afterAll(() => auth?.close());

it(`sends no token on any of ${URLS_PER_RUN.got} adversarial requests that no reading puts under the prefix`, () => {
  expect(tally.generated).toBe(URLS_PER_RUN.got);
  expect(tally.verdicts.outside.sent).toBeGreaterThan(URLS_PER_RUN.got / 4);
  expect(tally.stampedOutside).toEqual([]);
});

it('sends no token where a common server reading of the path leaves the prefix', () => {
  expect(tally.verdicts.escapes.sent).toBeGreaterThan(0);
  expect(tally.stampedEscaping).toEqual([]);
});

it('stamps every spelling of a protected URL, with prefixUrl and searchParams', () => {
  expect(positives.notInside).toEqual([]);
  expect(positives.unsent).toEqual([]);
  expect(positives.unstamped).toEqual([]);
  expect(positives.stamped).toBe(positives.generated);
});

it('served the whole run from one token', () => {
  expect(auth.tokenRequests).toBe(1);
});
