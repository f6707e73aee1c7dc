/**
 * The most token requests core's backoff lets through in a window, derived from
 * packages/core/src/cache/backoff.ts:
 *
 *   after the n-th failure in a row, no token request for
 *     delay(n) = e/2 + random·e/2,  e = min(maxDelayMs, initialDelayMs · 2^(n−1))   ("equal jitter")
 *
 * so delay(n) ≥ e/2 whatever the random draw. Single flight means one token request at a time per key, and the
 * next may start only after the previous one failed and its delay ran out, so request k+1 starts at least
 * Σ_{i=1..k} e(i)/2 after request 1. With the defaults (500 ms, 30 s) the earliest starts are
 * 0, 250, 750, 1750, 3750, 7750, 15750 ms: a 10-second window holds at most 6 token requests, however many
 * callers there are. (The estimate, log2(10000/500) + 2 ≈ 7, rounds the same sum up.)
 */
export interface Backoff {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/** Core's defaults (`backoff` option). */
export const DEFAULT_BACKOFF: Backoff = { initialDelayMs: 500, maxDelayMs: 30_000 };

/** How many token requests for one key can start within `windowMs` of the first, failing one after another. */
export function maxTokenRequestsWithin(windowMs: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  let requests = 1;
  let earliestNextStart = 0;
  for (let failures = 1; ; failures += 1) {
    earliestNextStart += Math.min(backoff.maxDelayMs, backoff.initialDelayMs * 2 ** (failures - 1)) / 2;
    if (earliestNextStart > windowMs) return requests;
    requests += 1;
  }
}
