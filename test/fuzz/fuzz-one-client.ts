/** The tests every single-client fuzz file runs: the same assertions, around that client's cases and sender. */
import type fc from 'fast-check';
import { startFuzzAuth, type FuzzAuth } from './fuzz-auth.js';
import { expectEveryPositiveStamped, expectNoTokenOnEscapes, expectNoTokenOutside } from './fuzz-expectations.js';
import { fuzz, fuzzPositives, summary, URLS_PER_RUN, type Outcome, type PositiveTally, type Tally } from './fuzz-run.js';

export interface ClientFuzz<T> {
  readonly client: 'axios' | 'got';
  /** What the positive cases exercise, for the test's name. */
  readonly spellings: string;
  readonly adversarialCases: fc.Arbitrary<T>;
  readonly positiveCases: fc.Arbitrary<T>;
  readonly describe: (testCase: T) => string;
  /** Builds the client's sender once the fuzz authorization server is up. */
  readonly sender: (auth: FuzzAuth) => (testCase: T) => Promise<Outcome>;
}

export function fuzzOneClient<T>(spec: ClientFuzz<T>): void {
  const count = URLS_PER_RUN[spec.client];
  let auth: FuzzAuth;
  let tally: Tally;
  let positives: PositiveTally;

  beforeAll(async () => {
    auth = await startFuzzAuth();
    const options = { describe: spec.describe, send: spec.sender(auth), concurrency: 25 };
    positives = await fuzzPositives({ ...options, cases: spec.positiveCases, count: 1_000 });
    tally = await fuzz({ ...options, cases: spec.adversarialCases, count });
    console.log(summary(spec.client, tally, positives));
  }, 120_000);

  afterAll(() => auth?.close());

  it(`sends no token on any of ${count} adversarial requests that no reading puts under the prefix`, () => {
    expectNoTokenOutside(tally, count);
  });

  it('sends no token where a common server reading of the path leaves the prefix', () => {
    expectNoTokenOnEscapes(tally);
  });

  it(`stamps every spelling of a protected URL, ${spec.spellings}`, () => {
    expectEveryPositiveStamped(positives);
  });

  it('served the whole run from one token', () => {
    expect(auth.tokenRequests).toBe(1);
  });
}
