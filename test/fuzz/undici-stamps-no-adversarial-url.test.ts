/**
 * Adversarial undici requests: options with a verbatim origin and path straight into our interceptor (undici
 * sends the path as given), options split from a URL with WHATWG URL as `undici.request()` and `fetch` do, and
 * both through McaAgent. Judged by the origin undici would connect to and the request-target it would send.
 */
import fc from 'fast-check';
import { adversarialUrl, harmlessQuery, origin, path, protectedOrigin, protectedUrl, safeTail, tail } from './adversarial-urls.js';
import { startFuzzAuth, type FuzzAuth } from './fuzz-auth.js';
import { expectEveryPositiveStamped, expectNoTokenOnEscapes, expectNoTokenOutside } from './fuzz-expectations.js';
import { fuzz, fuzzPositives, summary, URLS_PER_RUN, type PositiveTally, type Tally } from './fuzz-run.js';
import { describeDispatchCase, recordingInterceptor, recordingMcaAgent, type DispatchCase, type DispatchRecorder } from './undici-recorder.js';

/** An origin as a string, sometimes a URL object, sometimes with what undici refuses in an origin. */
const originOption: fc.Arbitrary<string | URL> = fc.oneof(
  { weight: 6, arbitrary: origin },
  { weight: 2, arbitrary: origin.filter((o) => URL.canParse(o)).map((o) => new URL(o)) },
  { weight: 1, arbitrary: fc.constantFrom('https://orders.example.com/', 'https://orders.example.com/api', 'https://orders.example.com?x=1', 'https://orders.example.com#', '') },
);

/** A path as a caller writes it into dispatch options: usually origin-form, sometimes not. */
const pathOption: fc.Arbitrary<string> = fc.oneof(
  { weight: 9, arbitrary: fc.tuple(path, tail).map(([p, t]) => `${p}${t}`) },
  { weight: 1, arbitrary: fc.constantFrom('api/x', 'https://evil.test/api/x', 'https://orders.example.com/api/x', '*', '/api/\tx', '/api/ x', '/api/é') },
);

const verbatimCases: fc.Arbitrary<DispatchCase> = fc.record({ origin: originOption, path: pathOption });

/** What `undici.request(url)` and `fetch(url)` dispatch: WHATWG URL's origin, pathname and search. */
const parsedCases: fc.Arbitrary<DispatchCase> = adversarialUrl.filter((url) => URL.canParse(url)).map((url) => {
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
});

// undici sends a `#` verbatim, which some servers read as part of the path: not a positive.
const verbatimQuery = harmlessQuery.filter((query) => !query.includes('#'));
const positiveCases: fc.Arbitrary<DispatchCase> = fc.oneof(
  fc.tuple(protectedOrigin, safeTail, verbatimQuery).map(([o, t, q]) => ({ origin: o, path: `/api${t}${q}` })),
  fc.tuple(protectedOrigin, safeTail, verbatimQuery).map(([o, t, q]) => ({ origin: new URL(o), path: `/api${t}${q}` })),
  protectedUrl.map((url) => new URL(url)).map((url) => ({ origin: url.origin, path: `${url.pathname}${url.search}` })),
);

interface Run {
  readonly tally: Tally;
  readonly positives: PositiveTally;
}

let auth: FuzzAuth;
const runs: Record<string, Run> = {};

async function run(name: string, recorder: DispatchRecorder, cases: fc.Arbitrary<DispatchCase>, count: number): Promise<void> {
  try {
    const options = { describe: describeDispatchCase, send: (c: DispatchCase) => recorder.send(c) };
    const positives = await fuzzPositives({ ...options, cases: positiveCases, count: 2_000 });
    const tally = await fuzz({ ...options, cases, count });
    runs[name] = { tally, positives };
    console.log(summary(name, tally, positives));
  } finally {
    await recorder.close();
  }
}

beforeAll(async () => {
  auth = await startFuzzAuth();
  await run('undici mcaInterceptor, verbatim options', recordingInterceptor(auth.options()), verbatimCases, URLS_PER_RUN.undiciInterceptorVerbatim);
  await run('undici mcaInterceptor, options from WHATWG URL', recordingInterceptor(auth.options()), parsedCases, URLS_PER_RUN.undiciInterceptorParsed);
  await run('undici McaAgent', recordingMcaAgent(auth.options()), fc.oneof(verbatimCases, parsedCases), URLS_PER_RUN.mcaAgent);
}, 120_000);

afterAll(() => auth?.close());

describe.each([
  ['undici mcaInterceptor, verbatim options', URLS_PER_RUN.undiciInterceptorVerbatim],
  ['undici mcaInterceptor, options from WHATWG URL', URLS_PER_RUN.undiciInterceptorParsed],
  ['undici McaAgent', URLS_PER_RUN.mcaAgent],
])('%s', (name, count) => {
  it(`sends no token on any of ${count} adversarial requests that no reading puts under the prefix`, () => {
    expectNoTokenOutside(runs[name]!.tally, count);
  });

  it('sends no token where a common server reading of the path leaves the prefix', () => {
    expectNoTokenOnEscapes(runs[name]!.tally);
  });

  it('stamps every spelling of a protected URL', () => {
    expectEveryPositiveStamped(runs[name]!.positives);
  });
});

it('one token served all three runs (each its own cache: three token requests)', () => {
  expect(auth.tokenRequests).toBe(3);
});

it('the adapters together fuzz at least 100,000 URLs per run', () => {
  const total = Object.values(URLS_PER_RUN).reduce((sum, count) => sum + count, 0);
  console.log(`URLs fuzzed per run, all adapters: ${total}`);
  expect(total).toBeGreaterThanOrEqual(100_000);
});
