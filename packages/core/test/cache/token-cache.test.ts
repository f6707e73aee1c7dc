import { jest } from '@jest/globals';
import { backoffPolicy } from '../../src/cache/backoff.js';
import { lifetimePolicy } from '../../src/cache/lifetime-policy.js';
import { TokenCache, type TokenSource } from '../../src/cache/token-cache.js';
import { McaError, McaErrorCodes } from '../../src/errors/index.js';
import { createTokenObserver } from '../../src/observability/token-observer.js';
import { FakeProvider, settle } from '../support/fake-provider.js';

const MINUTE = 60_000;

function sourceFor(provider: FakeProvider, overrides: Partial<TokenSource> = {}): TokenSource {
  return {
    key: provider.cacheKey,
    provider,
    // No skew, refresh at 80%: a 10-minute token refreshes at minute 8 and is usable until minute 10.
    lifetime: lifetimePolicy(undefined, 0),
    backoff: backoffPolicy({ initialDelayMs: 1000, maxDelayMs: 8000 }),
    observer: createTokenObserver(undefined, 'test'),
    ...overrides,
  };
}

async function firstToken(cache: TokenCache, source: TokenSource, provider: FakeProvider, value = 'first'): Promise<string> {
  const pending = cache.authorization(source);
  await settle();
  provider.succeed(value, 10 * MINUTE);
  return pending as Promise<string>;
}

beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('single flight', () => {
  it('makes one token request for 1,000 concurrent misses, and all get its result', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    const pending = Array.from({ length: 1000 }, () => cache.authorization(source));
    await settle();
    expect(provider.calls).toBe(1);
    provider.succeed('shared', 10 * MINUTE);
    const values = await Promise.all(pending);
    expect(new Set(values)).toEqual(new Set(['Bearer shared']));
    expect(provider.calls).toBe(1);
  });

  it('gives all 1,000 concurrent callers the one error when the single request fails', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    const pending = Array.from({ length: 1000 }, () => Promise.resolve(cache.authorization(source)).catch((error: unknown) => error));
    await settle();
    provider.fail(new McaError(McaErrorCodes.TOKEN_HTTP_ERROR, 'down', { status: 500 }));
    const errors = await Promise.all(pending);
    expect(errors.every((error) => (error as McaError).code === McaErrorCodes.TOKEN_HTTP_ERROR)).toBe(true);
    expect(provider.calls).toBe(1);
  });

  it('keeps separate keys apart: two keys, two requests, two tokens', async () => {
    const a = new FakeProvider('key-a');
    const b = new FakeProvider('key-b');
    const cache = new TokenCache();
    const pendingA = cache.authorization(sourceFor(a));
    const pendingB = cache.authorization(sourceFor(b));
    await settle();
    a.succeed('token-a', MINUTE);
    b.succeed('token-b', MINUTE);
    expect(await pendingA).toBe('Bearer token-a');
    expect(await pendingB).toBe('Bearer token-b');
  });
});

describe('cache hits', () => {
  it('answers synchronously from the cache while the token is fresh', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    await firstToken(cache, source, provider);
    expect(cache.authorization(source)).toBe('Bearer first');
    jest.advanceTimersByTime(7 * MINUTE);
    expect(cache.authorization(source)).toBe('Bearer first');
    expect(provider.calls).toBe(1);
  });

  it('holds no more tokens than its size, dropping the least recently used', async () => {
    const cache = new TokenCache({ max: 2 });
    const providers = ['k1', 'k2', 'k3'].map((key) => new FakeProvider(key));
    for (const provider of providers) await firstToken(cache, sourceFor(provider), provider);
    expect(cache.size).toBe(2);
    const pending = cache.authorization(sourceFor(providers[0] as FakeProvider));
    expect(typeof pending).not.toBe('string');
    await settle();
    expect((providers[0] as FakeProvider).calls).toBe(2);
    (providers[0] as FakeProvider).succeed('again', MINUTE);
    await pending;
  });

  // A hit is answered from the entry of the last hit when it is for the same source: these pin down when that must not happen.
  it('answers two sources that take turns each with its own token', async () => {
    const cache = new TokenCache();
    const [a, b] = [new FakeProvider('key-a'), new FakeProvider('key-b')];
    const [sourceA, sourceB] = [sourceFor(a), sourceFor(b)];
    await firstToken(cache, sourceA, a, 'token-a');
    await firstToken(cache, sourceB, b, 'token-b');
    for (let i = 0; i < 3; i += 1) {
      expect(cache.authorization(sourceA)).toBe('Bearer token-a');
      expect(cache.authorization(sourceA)).toBe('Bearer token-a');
      expect(cache.authorization(sourceB)).toBe('Bearer token-b');
    }
    expect(a.calls + b.calls).toBe(2);
  });

  it('fetches again for a source whose token was evicted, though the last hit was for it', async () => {
    const cache = new TokenCache({ max: 1 });
    const [a, b] = [new FakeProvider('key-a'), new FakeProvider('key-b')];
    const sourceA = sourceFor(a);
    await firstToken(cache, sourceA, a, 'token-a');
    expect(cache.authorization(sourceA)).toBe('Bearer token-a');
    await firstToken(cache, sourceFor(b), b, 'token-b');
    const pending = cache.authorization(sourceA);
    expect(typeof pending).not.toBe('string');
    await settle();
    expect(a.calls).toBe(2);
    a.succeed('token-a2', MINUTE);
    expect(await pending).toBe('Bearer token-a2');
  });

  it('fetches again after clear(), though the last hit was for the same source', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    await firstToken(cache, source, provider);
    expect(cache.authorization(source)).toBe('Bearer first');
    cache.clear();
    const pending = cache.authorization(source);
    expect(typeof pending).not.toBe('string');
    await settle();
    provider.succeed('after-clear', MINUTE);
    expect(await pending).toBe('Bearer after-clear');
  });
});

describe('refresh ahead', () => {
  it('starts one background refresh past 80% of the life and keeps returning the valid token meanwhile', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    await firstToken(cache, source, provider);
    jest.advanceTimersByTime(8 * MINUTE + 1);
    for (let i = 0; i < 100; i += 1) expect(cache.authorization(source)).toBe('Bearer first');
    await settle();
    expect(provider.calls).toBe(2);
    provider.succeed('second', 10 * MINUTE);
    await settle();
    expect(cache.authorization(source)).toBe('Bearer second');
    expect(provider.calls).toBe(2);
  });

  it('hands out the refreshed token as soon as it lands, though the old one answered the hits before', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    await firstToken(cache, source, provider);
    expect(cache.authorization(source)).toBe('Bearer first');
    jest.advanceTimersByTime(8 * MINUTE + 1);
    expect(cache.authorization(source)).toBe('Bearer first');
    await settle();
    provider.succeed('second', 10 * MINUTE);
    await settle();
    expect(cache.authorization(source)).toBe('Bearer second');
    expect(cache.authorization(source)).toBe('Bearer second');
    expect(provider.calls).toBe(2);
  });

  it('refreshes within a fixed window of expiry when windowMs is configured', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider, { lifetime: lifetimePolicy({ lifetimeShare: 1, windowMs: MINUTE }, 0) });
    await firstToken(cache, source, provider);
    jest.advanceTimersByTime(9 * MINUTE - 1);
    cache.authorization(source);
    await settle();
    expect(provider.calls).toBe(1);
    jest.advanceTimersByTime(2);
    expect(cache.authorization(source)).toBe('Bearer first');
    await settle();
    expect(provider.calls).toBe(2);
  });

  it('takes the clock skew off the end of the life: a token is not handed out in its last moments', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider, { lifetime: lifetimePolicy(undefined, 30_000) });
    await firstToken(cache, source, provider);
    jest.advanceTimersByTime(10 * MINUTE - 30_000);
    const result = cache.authorization(source);
    expect(typeof result).not.toBe('string');
    await settle();
    provider.succeed('fresh', 10 * MINUTE);
    expect(await result).toBe('Bearer fresh');
  });
});

describe('stale-if-error', () => {
  it('keeps serving the cached token after a failed refresh until it really expires, then reports the error', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    await firstToken(cache, source, provider);
    jest.advanceTimersByTime(8 * MINUTE + 1);
    expect(cache.authorization(source)).toBe('Bearer first');
    await settle();
    provider.fail(new McaError(McaErrorCodes.TOKEN_HTTP_ERROR, 'down', { status: 503 }));
    await settle();
    expect(cache.authorization(source)).toBe('Bearer first');
    jest.advanceTimersByTime(2 * MINUTE);
    // Expired now; the backoff after the failure is over, so this caller waits for a new attempt.
    const attempt = Promise.resolve(cache.authorization(source)).catch((error: unknown) => error);
    await settle();
    provider.fail(new McaError(McaErrorCodes.TOKEN_HTTP_ERROR, 'still down', { status: 503 }));
    expect(((await attempt) as McaError).code).toBe(McaErrorCodes.TOKEN_HTTP_ERROR);
  });
});

describe('backoff', () => {
  it('answers callers during backoff with the last error at once, without a token request', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    const first = Promise.resolve(cache.authorization(source)).catch((error: unknown) => error);
    await settle();
    const failure = new McaError(McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE, 'refused');
    provider.fail(failure);
    expect(await first).toBe(failure);
    for (let i = 0; i < 50; i += 1) {
      await expect(cache.authorization(source)).rejects.toBe(failure);
    }
    expect(provider.calls).toBe(1);
    expect(provider.waiting).toBe(0);
  });

  it('grows the wait exponentially, capped: at most ~log2 attempts in a minute of constant demand', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    for (let elapsed = 0; elapsed < MINUTE; elapsed += 100) {
      const attempt = Promise.resolve(cache.authorization(source)).catch(() => undefined);
      await settle();
      if (provider.waiting > 0) provider.fail(new McaError(McaErrorCodes.TOKEN_HTTP_ERROR, 'down', { status: 500 }));
      await attempt;
      jest.advanceTimersByTime(100);
    }
    // Delays (jittered 50-100%) 1s, 2s, 4s, 8s, 8s...: between 8 and 15 attempts in 60 s, never 600.
    expect(provider.calls).toBeGreaterThanOrEqual(8);
    expect(provider.calls).toBeLessThanOrEqual(15);
  });

  it("waits at least as long as the server's Retry-After", async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    const attempt = Promise.resolve(cache.authorization(source)).catch(() => undefined);
    await settle();
    provider.fail(new McaError(McaErrorCodes.TOKEN_HTTP_ERROR, 'busy', { status: 429, retryAfterMs: 20_000 }));
    await attempt;
    jest.advanceTimersByTime(19_000);
    await expect(cache.authorization(source)).rejects.toMatchObject({ status: 429 });
    jest.advanceTimersByTime(1_001);
    const retry = cache.authorization(source);
    await settle();
    expect(provider.calls).toBe(2);
    provider.succeed('back', MINUTE);
    expect(await retry).toBe('Bearer back');
  });

  it('resumes stamping without a restart once the server is back', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    const attempt = Promise.resolve(cache.authorization(source)).catch(() => undefined);
    await settle();
    provider.fail(new McaError(McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE, 'refused'));
    await attempt;
    jest.advanceTimersByTime(1_001);
    const next = cache.authorization(source);
    await settle();
    provider.succeed('recovered', MINUTE);
    expect(await next).toBe('Bearer recovered');
    expect(cache.authorization(source)).toBe('Bearer recovered');
  });
});

describe('invalidation after a 401', () => {
  it('drops the rejected token so the next caller gets a new one, with one request for a storm of 401s', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    const rejected = await firstToken(cache, source, provider);
    for (let i = 0; i < 100; i += 1) cache.invalidate(source.key, rejected);
    const retries = Array.from({ length: 100 }, () => cache.authorization(source));
    await settle();
    expect(provider.calls).toBe(2);
    provider.succeed('renewed', 10 * MINUTE);
    expect(new Set(await Promise.all(retries))).toEqual(new Set(['Bearer renewed']));
    // A late 401 for the old token must not throw away the new one.
    cache.invalidate(source.key, rejected);
    expect(cache.authorization(source)).toBe('Bearer renewed');
    expect(provider.calls).toBe(2);
  });

  it('stops handing out a rejected token at once, though it answered the hits before', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    const rejected = await firstToken(cache, source, provider);
    expect(cache.authorization(source)).toBe(rejected);
    expect(cache.authorization(source)).toBe(rejected);
    cache.invalidate(source.key, rejected);
    const retry = cache.authorization(source);
    expect(typeof retry).not.toBe('string');
    await settle();
    provider.succeed('renewed', 10 * MINUTE);
    expect(await retry).toBe('Bearer renewed');
  });
});

describe('an API that rejects every token', () => {
  it('backs off replacing young rejected tokens, so its 401s do not become a token request each', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    let current = await firstToken(cache, source, provider, 'first');
    // The first rejection is honoured at once; then 1 s (jittered to 0.5-1 s), 2 s, 4 s... must pass.
    for (let round = 1; round <= 3; round += 1) {
      cache.invalidate(source.key, current, source.backoff);
      const replaced = cache.authorization(source);
      await settle();
      provider.succeed(`replacement-${round}`, 10 * MINUTE);
      current = await replaced;
      cache.invalidate(source.key, current, source.backoff);
      // Too soon after the last replacement: ignored, the same token is handed out.
      expect(cache.authorization(source)).toBe(current);
      jest.advanceTimersByTime(1000 * 2 ** (round - 1));
    }
    expect(provider.calls).toBe(4);
  });

  it('counts afresh for a token that lived to its refresh point before it was rejected', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    const first = await firstToken(cache, source, provider, 'first');
    cache.invalidate(source.key, first, source.backoff);
    const second = cache.authorization(source);
    await settle();
    provider.succeed('second', 10 * MINUTE);
    const secondValue = await second;
    jest.advanceTimersByTime(8 * MINUTE + 1);
    // Past its refresh point: honoured at once, whatever came before.
    cache.invalidate(source.key, secondValue, source.backoff);
    const third = cache.authorization(source);
    await settle();
    provider.succeed('third', 10 * MINUTE);
    expect(await third).toBe('Bearer third');
  });
});

describe('abort', () => {
  it('makes no token request for a caller whose signal is already aborted', async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    await expect(cache.authorization(sourceFor(provider), AbortSignal.abort())).rejects.toMatchObject({ code: McaErrorCodes.ABORTED });
    await settle();
    expect(provider.calls).toBe(0);
  });

  it("lets one caller stop waiting without cancelling the others' token", async () => {
    const provider = new FakeProvider();
    const cache = new TokenCache();
    const source = sourceFor(provider);
    const controller = new AbortController();
    const impatient = cache.authorization(source, controller.signal) as Promise<string>;
    const patient = cache.authorization(source) as Promise<string>;
    await settle();
    controller.abort();
    await expect(impatient).rejects.toMatchObject({ code: McaErrorCodes.ABORTED });
    provider.succeed('kept', MINUTE);
    expect(await patient).toBe('Bearer kept');
  });
});
