/**
 * The clock a cache hit reads. `Date.now()` costs about 47 ns on the machines we measure on (Node 20, 24 and 26
 * alike), four times the `Map.get` and concatenation that any hand-written token cache needs at least, and a hit
 * asks it once per request. So a hit reads a value that is refreshed at most every `HIT_CLOCK_RESOLUTION_MS`, as
 * lru-cache's `ttlResolution` does: the first read after a refresh calls `Date.now()` and arms an unref'd timer
 * that clears it, so an idle process runs no timer, and a busy one at most 100 a second.
 *
 * What it answers is that reading plus the resolution: while the event loop turns, an upper bound on the time,
 * so a hit never judges a token fresher than `Date.now()` would (it sees a refresh point up to 10 ms early). A
 * loop blocked by synchronous work delays the timer, and then the value lags by the block; the lag is far below
 * a token's safety margin (`clockSkewMs`, 30 s by default, at most a tenth of its life) unless the block is.
 *
 * Fake timers (jest, sinon) replace `Date.now` and the timer functions, and may drop a pending timer when they are
 * uninstalled, which would freeze the reading. So the clock keeps the `Date.now` and `setTimeout` it found when it
 * was loaded: while `Date.now` is another function, a hit reads that function directly, as it did before.
 */
export const HIT_CLOCK_RESOLUTION_MS = 10;

const systemNow = Date.now;
const systemSetTimeout = setTimeout;
let reading = 0; // 0: no reading since the timer last fired

function forgetReading(): void {
  reading = 0;
}

/** An upper bound on `Date.now()` that costs a variable read on all but one call per resolution period. */
export function hitClockNow(): number {
  if (Date.now !== systemNow) return Date.now();
  if (reading === 0) {
    reading = systemNow();
    // `unref?.`: a fake timer loaded in place of the real one may lack it.
    systemSetTimeout(forgetReading, HIT_CLOCK_RESOLUTION_MS).unref?.();
  }
  return reading + HIT_CLOCK_RESOLUTION_MS;
}
