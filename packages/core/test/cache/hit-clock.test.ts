import { jest } from '@jest/globals';
import { HIT_CLOCK_RESOLUTION_MS, hitClockNow } from '../../src/cache/hit-clock.js';
import { CachedToken } from '../../src/cache/cached-token.js';
import { backoffPolicy } from '../../src/cache/backoff.js';
import { lifetimePolicy } from '../../src/cache/lifetime-policy.js';
import { TokenCache } from '../../src/cache/token-cache.js';
import { IssuedToken } from '../../src/providers/issued-token.js';
import { createTokenObserver } from '../../src/observability/token-observer.js';
import { FakeProvider, settle } from '../support/fake-provider.js';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('hitClockNow', () => {
  it('answers one reading plus the resolution until its timer fires, then a new reading', async () => {
    await later(2 * HIT_CLOCK_RESOLUTION_MS); // any earlier reading's timer has fired
    const before = Date.now();
    const first = hitClockNow();
    const after = Date.now();
    expect(first - HIT_CLOCK_RESOLUTION_MS).toBeGreaterThanOrEqual(before);
    expect(first - HIT_CLOCK_RESOLUTION_MS).toBeLessThanOrEqual(after);
    expect(hitClockNow()).toBe(first);
    await later(2 * HIT_CLOCK_RESOLUTION_MS);
    const next = hitClockNow();
    expect(next).toBeGreaterThan(first);
    expect(next - HIT_CLOCK_RESOLUTION_MS).toBeLessThanOrEqual(Date.now());
  });

  it('reads a replaced Date.now directly, so fake timers move a hit at once and cannot freeze it', () => {
    hitClockNow(); // a reading from the real clock is pending
    jest.useFakeTimers({ now: 5_000 });
    try {
      expect(hitClockNow()).toBe(5_000);
      jest.setSystemTime(9_000_000); // no timer advanced
      expect(hitClockNow()).toBe(9_000_000);
    } finally {
      jest.useRealTimers();
    }
    expect(hitClockNow()).toBeGreaterThan(9_000_000); // the real clock again, not the fake one's last value
  });
});

describe('CachedToken.freshUntil', () => {
  it('is the refresh point, or the end of use when a token issued already expired reaches that first', () => {
    const issued = new IssuedToken('x', 0, 1000);
    expect(new CachedToken(issued, { refreshAt: 800, usableUntil: 900 }).freshUntil).toBe(800);
    expect(new CachedToken(issued, { refreshAt: 800, usableUntil: 500 }).freshUntil).toBe(500);
  });
});

describe('a cache hit on the real clock', () => {
  it('answers from the hot entry before the refresh point, and refreshes once the real clock passes it', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    // No skew: a 1-second token refreshes at 800 ms and is usable until 1,000 ms.
    const source = { key: provider.cacheKey, provider, lifetime: lifetimePolicy(undefined, 0), backoff: backoffPolicy(undefined), observer: createTokenObserver(undefined, 'test') };
    const pending = cache.authorization(source);
    await settle();
    provider.succeed('first', 1000);
    await expect(pending).resolves.toBe('Bearer first');
    const refreshAt = Date.now() + 800;
    for (let i = 0; i < 100; i += 1) expect(cache.authorization(source)).toBe('Bearer first');
    expect(provider.calls).toBe(1);
    await later(refreshAt - Date.now() + 20);
    expect(cache.authorization(source)).toBe('Bearer first'); // stale, still usable: served while it refreshes
    await settle();
    expect(provider.calls).toBe(2);
    provider.succeed('second', 1000);
    await settle();
    expect(cache.authorization(source)).toBe('Bearer second');
  });
});
