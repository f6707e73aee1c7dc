/**
 * 20,000 adversarial axios requests (url, baseURL, params, paramsSerializer, allowAbsoluteUrls) through the real
 * axios pipeline and our interceptor, judged by what axios's http adapter would put on the wire.
 */
import fc from 'fast-check';
import { adversarialUrl, baseUrl, harmlessQuery, protectedOrigin, protectedUrl, relativeUrl, safeTail } from './adversarial-urls.js';
import { describeAxiosCase, recordingAxios, sendAxios, type AxiosCase } from './axios-recorder.js';
import { startFuzzAuth, type FuzzAuth } from './fuzz-auth.js';
import { fuzz, fuzzPositives, summary, URLS_PER_RUN, type PositiveTally, type Tally } from './fuzz-run.js';

const params = fc.constantFrom<AxiosCase['params']>(
  undefined,
  undefined,
  { q: 'x' },
  { next: 'https://evil.test/', '../a': '../../admin' },
  { path: '/api', '#': '/../x' },
);
const serializer = fc.constantFrom<AxiosCase['paramsSerializer']>(undefined, undefined, undefined, 'hash', 'slash', 'raw');

const adversarialCases: fc.Arbitrary<AxiosCase> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ url: adversarialUrl, params, paramsSerializer: serializer }) },
  { weight: 4, arbitrary: fc.record({ baseURL: baseUrl, url: relativeUrl, params, paramsSerializer: serializer }) },
  {
    weight: 2,
    arbitrary: fc.record({ baseURL: baseUrl, url: adversarialUrl, params, allowAbsoluteUrls: fc.constantFrom(true, false, undefined) }),
  },
);

const positiveCases: fc.Arbitrary<AxiosCase> = fc.oneof(
  fc.record({ url: protectedUrl, params: fc.constantFrom<AxiosCase['params']>(undefined, { q: 'x' }, { next: '/../../admin' }) }),
  fc.tuple(protectedOrigin, safeTail, harmlessQuery).map(([origin, tail, query]) => ({ baseURL: origin, url: `/api${tail}${query}` })),
  fc
    .tuple(protectedOrigin, fc.constantFrom('/api', '/api/'), safeTail, harmlessQuery)
    .map(([origin, base, tail, query]) => ({ baseURL: `${origin}${base}`, url: `${tail.replace(/^\//, '')}${query}` })),
);

let auth: FuzzAuth;
let tally: Tally;
let positives: PositiveTally;

beforeAll(async () => {
  auth = await startFuzzAuth();
  const http = recordingAxios(auth.options());
  const options = { describe: describeAxiosCase, send: (c: AxiosCase) => sendAxios(http, c), concurrency: 25 };
  positives = await fuzzPositives({ ...options, cases: positiveCases, count: 1_000 });
  tally = await fuzz({ ...options, cases: adversarialCases, count: URLS_PER_RUN.axios });
  console.log(summary('axios', tally, positives));
}, 120_000);

afterAll(() => auth?.close());

it(`sends no token on any of ${URLS_PER_RUN.axios} adversarial requests that no reading puts under the prefix`, () => {
  expect(tally.generated).toBe(URLS_PER_RUN.axios);
  expect(tally.verdicts.outside.sent).toBeGreaterThan(URLS_PER_RUN.axios / 4);
  expect(tally.stampedOutside).toEqual([]);
});

it('sends no token where a common server reading of the path leaves the prefix', () => {
  expect(tally.verdicts.escapes.sent).toBeGreaterThan(0);
  expect(tally.stampedEscaping).toEqual([]);
});

it('stamps every spelling of a protected URL, with baseURL, relative url and params', () => {
  expect(positives.notInside).toEqual([]);
  expect(positives.unsent).toEqual([]);
  expect(positives.unstamped).toEqual([]);
  expect(positives.stamped).toBe(positives.generated);
});

it('served the whole run from one token', () => {
  expect(auth.tokenRequests).toBe(1);
});
