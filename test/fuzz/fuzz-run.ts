/**
 * Sends generated requests through an adapter, judges each by what reached the wire with the oracle, and tallies
 * what was stamped. The tests then assert on the tally: one pass per adapter keeps 100,000 URLs cheap.
 */
import fc from 'fast-check';
import { createOracle, type Verdict, type WireRequest } from './wire-oracle.js';
import { PROTECTED_PREFIX } from './adversarial-urls.js';

/** What one request did: never left the client (the client refused it), or went out, with or without our token. */
export type Outcome = { readonly sent: false } | { readonly sent: true; readonly wire: WireRequest; readonly stamped: boolean };

export const UNSENT: Outcome = { sent: false };

/** The seed of this run: set MCA_FUZZ_SEED to replay a failing one. */
export const FUZZ_SEED = process.env.MCA_FUZZ_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.MCA_FUZZ_SEED);

/** How many adversarial requests each adapter gets per run; together at least 100,000. */
export const URLS_PER_RUN = {
  axios: 20_000,
  got: 12_000,
  undiciInterceptorVerbatim: 33_000,
  undiciInterceptorParsed: 15_000,
  mcaAgent: 20_000,
} as const;

const EXAMPLES_KEPT = 12;

export interface Tally {
  readonly generated: number;
  readonly unsent: number;
  /** Requests that went out, by verdict: how many, and how many of them carried a token. */
  readonly verdicts: Record<Verdict, { sent: number; stamped: number }>;
  /** Stamped although no reading is under the prefix (the first few, as described). */
  readonly stampedOutside: string[];
  /** Stamped although a common server reading leaves the prefix. */
  readonly stampedEscaping: string[];
}

export interface PositiveTally {
  readonly generated: number;
  /** Sent, judged inside by the oracle, and stamped: all of them, when all is well. */
  readonly stamped: number;
  /** Positives the oracle itself does not place inside: the oracle or the generator is wrong. */
  readonly notInside: string[];
  readonly unsent: string[];
  readonly unstamped: string[];
}

export interface FuzzOptions<T> {
  readonly cases: fc.Arbitrary<T>;
  readonly count: number;
  readonly seed?: number;
  readonly describe: (input: T) => string;
  readonly send: (input: T) => Outcome | Promise<Outcome>;
  /** Requests in flight at once; 1 for synchronous senders. */
  readonly concurrency?: number;
}

const oracle = createOracle(PROTECTED_PREFIX);

function describeOutcome(input: string, outcome: Outcome & { sent: true }): string {
  const { wire } = outcome;
  return `${input}  →  ${wire.protocol}//${wire.hostname}${wire.port === '' ? '' : `:${wire.port}`} ${wire.target}`;
}

/** Runs `send` on every input, `concurrency` at a time, and hands each outcome to `record` in input order. */
async function sendAll<T>(inputs: readonly T[], options: FuzzOptions<T>, record: (input: T, outcome: Outcome) => void): Promise<void> {
  const concurrency = options.concurrency ?? 1;
  for (let start = 0; start < inputs.length; start += concurrency) {
    const batch = inputs.slice(start, start + concurrency);
    const outcomes = batch.map((input) => options.send(input));
    for (const [index, pending] of outcomes.entries()) {
      // A synchronous sender is not awaited: 100,000 microtask turns would cost more than the requests.
      record(batch[index] as T, pending instanceof Promise ? await pending : pending);
    }
  }
}

export async function fuzz<T>(options: FuzzOptions<T>): Promise<Tally> {
  const inputs = fc.sample(options.cases, { numRuns: options.count, seed: options.seed ?? FUZZ_SEED });
  const verdicts: Tally['verdicts'] = {
    outside: { sent: 0, stamped: 0 },
    escapes: { sent: 0, stamped: 0 },
    unsure: { sent: 0, stamped: 0 },
    inside: { sent: 0, stamped: 0 },
  };
  const stampedOutside: string[] = [];
  const stampedEscaping: string[] = [];
  let unsent = 0;
  const record = (input: T, outcome: Outcome): void => {
    if (!outcome.sent) {
      unsent++;
      return;
    }
    const verdict = oracle.judge(outcome.wire);
    verdicts[verdict].sent++;
    if (!outcome.stamped) return;
    verdicts[verdict].stamped++;
    const kept = verdict === 'outside' ? stampedOutside : verdict === 'escapes' ? stampedEscaping : undefined;
    if (kept !== undefined && kept.length < EXAMPLES_KEPT) kept.push(describeOutcome(options.describe(input), outcome));
  };
  await sendAll(inputs, options, record);
  return { generated: inputs.length, unsent, verdicts, stampedOutside, stampedEscaping };
}

export async function fuzzPositives<T>(options: FuzzOptions<T>): Promise<PositiveTally> {
  const inputs = fc.sample(options.cases, { numRuns: options.count, seed: options.seed ?? FUZZ_SEED });
  const notInside: string[] = [];
  const unsent: string[] = [];
  const unstamped: string[] = [];
  let stamped = 0;
  await sendAll(inputs, options, (input, outcome) => {
    const described = options.describe(input);
    if (!outcome.sent) unsent.push(described);
    else if (oracle.judge(outcome.wire) !== 'inside') notInside.push(describeOutcome(described, outcome));
    else if (!outcome.stamped) unstamped.push(describeOutcome(described, outcome));
    else stamped++;
  });
  const kept = (list: string[]) => list.slice(0, EXAMPLES_KEPT);
  return { generated: inputs.length, stamped, notInside: kept(notInside), unsent: kept(unsent), unstamped: kept(unstamped) };
}

/** One line per adapter in the test output: what was generated and what happened to it. */
export function summary(name: string, tally: Tally, positives: PositiveTally): string {
  const v = tally.verdicts;
  return (
    `${name}: ${tally.generated} adversarial URLs (seed ${FUZZ_SEED}): ${tally.unsent} refused by the client; sent: ` +
    `${v.outside.sent} outside (${v.outside.stamped} stamped), ${v.escapes.sent} escaping (${v.escapes.stamped} stamped), ` +
    `${v.unsure.sent} unsure (${v.unsure.stamped} stamped, not asserted), ${v.inside.sent} inside (${v.inside.stamped} stamped); ` +
    `${positives.stamped} of ${positives.generated} positives stamped`
  );
}

/** The Authorization values in headers of any shape a client hands its transport. */
export function authorizationIn(headers: unknown): string | undefined {
  if (headers === null || headers === undefined || typeof headers !== 'object') return undefined;
  if (Array.isArray(headers)) {
    for (let index = 0; index + 1 < headers.length; index += 2) {
      if (String(headers[index]).toLowerCase() === 'authorization') return String(headers[index + 1]);
    }
    return undefined;
  }
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') {
    const value = (getter as (name: string) => unknown).call(headers, 'authorization');
    if (value !== undefined && value !== null && value !== false) return String(value);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'authorization' && value !== undefined && value !== null && value !== false) return String(value);
  }
  return undefined;
}

export function isBearer(value: string | undefined): boolean {
  return value !== undefined && value.startsWith('Bearer ');
}
