/** What every client's fuzz run must show: one definition, used by each client's tests. */
import type { PositiveTally, Tally } from './fuzz-run.js';

/** No token on any adversarial request that no server reading puts under the prefix, and enough of them were sent. */
export function expectNoTokenOutside(tally: Tally, count: number): void {
  expect(tally.generated).toBe(count);
  expect(tally.verdicts.outside.sent).toBeGreaterThan(count / 4);
  expect(tally.stampedOutside).toEqual([]);
}

/** No token where a common server reading of the path leaves the prefix, and such requests were sent. */
export function expectNoTokenOnEscapes(tally: Tally): void {
  expect(tally.verdicts.escapes.sent).toBeGreaterThan(0);
  expect(tally.stampedEscaping).toEqual([]);
}

/** Every generated spelling of a protected URL was sent, inside the prefix, with our token. */
export function expectEveryPositiveStamped(positives: PositiveTally): void {
  expect(positives.notInside).toEqual([]);
  expect(positives.unsent).toEqual([]);
  expect(positives.unstamped).toEqual([]);
  expect(positives.stamped).toBe(positives.generated);
}
