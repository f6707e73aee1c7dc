/**
 * 12,000 adversarial got requests (input, prefixUrl, searchParams) through got's real URL resolution and hooks,
 * judged by the URL got hands its request function.
 */
import fc from 'fast-check';
import { adversarialUrl, baseUrl, harmlessQuery, protectedOrigin, protectedUrl, relativeUrl, safeTail } from './adversarial-urls.js';
import { fuzzOneClient } from './fuzz-one-client.js';
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

fuzzOneClient<GotCase>({
  client: 'got',
  spellings: 'with prefixUrl and searchParams',
  adversarialCases,
  positiveCases,
  describe: describeGotCase,
  sender: (auth) => {
    const client = recordingGot(auth.options());
    return (c) => sendGot(client, c);
  },
});
