import diagnostics from 'node:diagnostics_channel';
import { jest } from '@jest/globals';
import { backoffPolicy } from '../../src/cache/backoff.js';
import { lifetimePolicy } from '../../src/cache/lifetime-policy.js';
import { TokenCache, type TokenSource } from '../../src/cache/token-cache.js';
import { McaError, McaErrorCodes } from '../../src/errors/index.js';
import { CHANNEL_NAMES, type StoreErrorEvent } from '../../src/observability/channels.js';
import { createTokenObserver } from '../../src/observability/token-observer.js';
import { IssuedToken } from '../../src/providers/issued-token.js';
import { createSharedStoreObserver, withSharedStore, type SharedStoreOptions } from '../../src/shared-store/index.js';
import { FakeProvider } from '../support/fake-provider.js';
import { MemoryStore } from './memory-store.js';

const MINUTE = 60_000;
const KEY = 'shared-key';

/** One simulated process: its own token cache and token provider, and the store all processes share. */
interface Process {
  readonly cache: TokenCache;
  readonly provider: FakeProvider;
  readonly source: TokenSource;
}

function processOf(store: MemoryStore, options: SharedStoreOptions = { clockSkewMs: 0 }): Process {
  const provider = new FakeProvider(KEY);
  const source: TokenSource = {
    key: KEY,
    provider: withSharedStore(provider, store, options),
    // No skew, refresh at 80%: a 10-minute token refreshes at minute 8 and is usable until minute 10.
    lifetime: lifetimePolicy(undefined, 0),
    backoff: backoffPolicy({ initialDelayMs: 1000, maxDelayMs: 8000 }),
    observer: createTokenObserver(undefined, 'test'),
  };
  return { cache: new TokenCache(), provider, source };
}

function fleetOf(count: number, store: MemoryStore): Process[] {
  return Array.from({ length: count }, () => processOf(store));
}

const tokenRequests = (fleet: readonly Process[]): number => fleet.reduce((sum, process) => sum + process.provider.calls, 0);

/** The process whose token request is waiting for the test to answer it. */
function requesting(fleet: readonly Process[]): FakeProvider {
  const found = fleet.find((process) => process.provider.waiting > 0);
  if (found === undefined) throw new Error('no process is requesting a token');
  return found.provider;
}

/** Lets every pending store operation and promise chain run (setImmediate is left real for this). */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

function record<T>(channel: string): { events: T[]; stop(): void } {
  const events: T[] = [];
  const listener = (message: unknown): void => {
    events.push(message as T);
  };
  diagnostics.subscribe(channel, listener);
  return { events, stop: () => diagnostics.unsubscribe(channel, listener) };
}

beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000, doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('one token request per fleet', () => {
  it('makes one token request for 5 processes x 200 concurrent cold misses; the others take the stored token', async () => {
    const store = new MemoryStore();
    const fleet = fleetOf(5, store);
    const adopted = record<{ key: string }>(CHANNEL_NAMES.storeAdopt);
    const pending = fleet.flatMap((process) => Array.from({ length: 200 }, () => process.cache.authorization(process.source)));
    await flush();
    expect(tokenRequests(fleet)).toBe(1);
    expect(store.waiting).toBe(4);
    requesting(fleet).succeed('shared', 10 * MINUTE);
    const values = await Promise.all(pending);
    adopted.stop();
    expect(new Set(values)).toEqual(new Set(['Bearer shared']));
    expect(tokenRequests(fleet)).toBe(1);
    expect(adopted.events).toEqual(Array.from({ length: 4 }, () => ({ key: KEY })));
  });

  it('takes a token another process stored, with no token request and no lock', async () => {
    const store = new MemoryStore();
    await store.set(KEY, new IssuedToken('stored', Date.now(), Date.now() + 10 * MINUTE), 10 * MINUTE);
    const process = processOf(store);
    expect(await process.cache.authorization(process.source)).toBe('Bearer stored');
    expect(process.provider.calls).toBe(0);
    expect(store.locksTaken).toBe(0);
  });

  it('does not take a stored token that is past its usable life', async () => {
    const store = new MemoryStore();
    // Stored for longer than the token lives: the provider must still not hand out a token in its last moments.
    await store.set(KEY, new IssuedToken('old', Date.now() - 10 * MINUTE, Date.now() + 10_000), 10 * MINUTE);
    const process = processOf(store, { clockSkewMs: 30_000 });
    const pending = process.cache.authorization(process.source);
    await flush();
    process.provider.succeed('new', 10 * MINUTE);
    expect(await pending).toBe('Bearer new');
  });

  it('stores the token with a TTL that ends before it expires (clock skew, capped at 10% of its life)', async () => {
    const store = new MemoryStore();
    const tenMinutes = processOf(store, {});
    const pending = tenMinutes.cache.authorization(tenMinutes.source);
    await flush();
    tenMinutes.provider.succeed('ten-minutes', 10 * MINUTE);
    await pending;
    const short = new MemoryStore();
    const oneMinute = processOf(short, {});
    const shortPending = oneMinute.cache.authorization(oneMinute.source);
    await flush();
    oneMinute.provider.succeed('one-minute', MINUTE);
    await shortPending;
    expect(store.ttls).toEqual([10 * MINUTE - 30_000]);
    expect(short.ttls).toEqual([MINUTE - 6_000]);
  });
});

describe('refresh ahead, once across the fleet', () => {
  it('refreshes once when every process reaches the refresh point, and all of them take the new token', async () => {
    const store = new MemoryStore();
    const fleet = fleetOf(3, store);
    const first = fleet.map((process) => process.cache.authorization(process.source));
    await flush();
    requesting(fleet).succeed('first', 10 * MINUTE);
    await Promise.all(first);

    jest.setSystemTime(Date.now() + 8 * MINUTE + 1);
    // Hits: each answers at once with the current token and starts a background refresh.
    expect(fleet.map((process) => process.cache.authorization(process.source))).toEqual(['Bearer first', 'Bearer first', 'Bearer first']);
    await flush();
    expect(tokenRequests(fleet)).toBe(2);
    requesting(fleet).succeed('second', 10 * MINUTE);
    await flush();
    expect(fleet.map((process) => process.cache.authorization(process.source))).toEqual(['Bearer second', 'Bearer second', 'Bearer second']);
    expect(tokenRequests(fleet)).toBe(2);
  });

  it('takes the fresher stored token when its own copy reaches the refresh point after another process refreshed', async () => {
    const store = new MemoryStore();
    const [early, late] = fleetOf(2, store) as [Process, Process];
    const first = [early.cache.authorization(early.source), late.cache.authorization(late.source)];
    await flush();
    requesting([early, late]).succeed('first', 10 * MINUTE);
    await Promise.all(first);

    jest.setSystemTime(Date.now() + 8 * MINUTE + 1);
    early.cache.authorization(early.source);
    await flush();
    early.provider.succeed('second', 10 * MINUTE);
    await flush();
    late.cache.authorization(late.source);
    await flush();
    expect(late.cache.authorization(late.source)).toBe('Bearer second');
    expect(late.provider.calls).toBe(0);
  });
});

describe('a token a protected API rejected', () => {
  it('is not taken from the store again: the next caller requests a new one, and other processes take that', async () => {
    const store = new MemoryStore();
    const [a, b] = fleetOf(2, store) as [Process, Process];
    const first = [a.cache.authorization(a.source), b.cache.authorization(b.source)];
    await flush();
    requesting([a, b]).succeed('rejected', 10 * MINUTE);
    await Promise.all(first);

    jest.setSystemTime(Date.now() + 1000);
    a.cache.invalidate(KEY, 'Bearer rejected');
    const retried = a.cache.authorization(a.source);
    await flush();
    expect(tokenRequests([a, b])).toBe(2);
    requesting([a, b]).succeed('replacement', 10 * MINUTE);
    expect(await retried).toBe('Bearer replacement');

    b.cache.invalidate(KEY, 'Bearer rejected');
    expect(await b.cache.authorization(b.source)).toBe('Bearer replacement');
    expect(tokenRequests([a, b])).toBe(2);
  });
});

describe('waiting for another process', () => {
  it('requests its own token when the store time limit passes while the holder is still requesting', async () => {
    const store = new MemoryStore();
    const [holder, waiter] = fleetOf(2, store) as [Process, Process];
    const held = holder.cache.authorization(holder.source);
    await flush();
    const waited = waiter.cache.authorization(waiter.source);
    await flush();
    expect(store.waiting).toBe(1);
    store.timeOutWaits();
    await flush();
    expect(waiter.provider.calls).toBe(1);
    waiter.provider.succeed('own', 10 * MINUTE);
    holder.provider.succeed('held', 10 * MINUTE);
    expect(await waited).toBe('Bearer own');
    expect(await held).toBe('Bearer held');
  });

  it('takes the lock when the holder fails, so a failing token server sees one request at a time', async () => {
    const store = new MemoryStore();
    const [holder, waiter] = fleetOf(2, store) as [Process, Process];
    const held = Promise.resolve(holder.cache.authorization(holder.source)).catch((error: unknown) => error);
    await flush();
    const waited = waiter.cache.authorization(waiter.source);
    await flush();
    expect(waiter.provider.calls).toBe(0);
    holder.provider.fail(new McaError(McaErrorCodes.TOKEN_HTTP_ERROR, 'down', { status: 503 }));
    await flush();
    expect((await held as McaError).code).toBe(McaErrorCodes.TOKEN_HTTP_ERROR);
    expect(waiter.provider.calls).toBe(1);
    expect(store.locksTaken).toBe(2);
    waiter.provider.succeed('after-failure', 10 * MINUTE);
    expect(await waited).toBe('Bearer after-failure');
  });

  it('takes the lock when the holder died and its lease ran out', async () => {
    const store = new MemoryStore();
    const [holder, waiter] = fleetOf(2, store) as [Process, Process];
    void holder.cache.authorization(holder.source);
    await flush();
    const waited = waiter.cache.authorization(waiter.source);
    await flush();
    store.expireLease(KEY);
    await flush();
    expect(waiter.provider.calls).toBe(1);
    waiter.provider.succeed('taken-over', 10 * MINUTE);
    expect(await waited).toBe('Bearer taken-over');
  });
});

describe('a store that is down', () => {
  it('requests the token directly, reports each failed step, and never fails the request', async () => {
    const store = new MemoryStore();
    for (const operation of ['get', 'set', 'lock', 'unlock', 'wait'] as const) store.failing.add(operation);
    const errors = record<StoreErrorEvent>(CHANNEL_NAMES.storeError);
    const process = processOf(store);
    const pending = Array.from({ length: 100 }, () => process.cache.authorization(process.source));
    await flush();
    expect(process.provider.calls).toBe(1);
    process.provider.succeed('direct', 10 * MINUTE);
    const values = await Promise.all(pending);
    errors.stop();
    expect(new Set(values)).toEqual(new Set(['Bearer direct']));
    expect(errors.events).toEqual([
      { key: KEY, operation: 'get', code: 'MCA_STORE_UNAVAILABLE', message: 'store get failed: connection refused' },
      { key: KEY, operation: 'lock', code: 'MCA_STORE_UNAVAILABLE', message: 'store lock failed: connection refused' },
    ]);
  });

  it('hands out the token it requested when storing it fails, and still lets go of the lock', async () => {
    const store = new MemoryStore();
    store.failing.add('set');
    const errors = record<StoreErrorEvent>(CHANNEL_NAMES.storeError);
    const process = processOf(store);
    const pending = process.cache.authorization(process.source);
    await flush();
    process.provider.succeed('unstored', 10 * MINUTE);
    expect(await pending).toBe('Bearer unstored');
    errors.stop();
    expect(errors.events.map((event) => event.operation)).toEqual(['set']);
    expect(await store.lock(KEY)).toBeDefined();
  });

  it('tells the logger about failures without the token or the store value', async () => {
    const store = new MemoryStore();
    store.failing.add('lock');
    const lines: unknown[] = [];
    const logger = { warn: (...args: unknown[]) => lines.push(args), debug: (...args: unknown[]) => lines.push(args) };
    const process = processOf(store, { clockSkewMs: 0, observer: createSharedStoreObserver(logger) });
    const pending = process.cache.authorization(process.source);
    await flush();
    process.provider.succeed('secret-token-value', 10 * MINUTE);
    await pending;
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines)).toContain('MCA_STORE_UNAVAILABLE');
    expect(JSON.stringify(lines)).not.toContain('secret-token-value');
  });
});
