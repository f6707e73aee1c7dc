/**
 * The fleet: several real processes on the built packages, one real Redis, the dev server counting token requests.
 * Each process fires 1,000 concurrent cold requests at once; the token server must see one request per token.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_CLIENT_ID, startDevServer, statsKey, type DevServer } from '@mca-oauth/dev-server';
import { fleetConfig } from './fleet/fleet-config.js';
import { assertBuilt, startFleet, type Fleet, type FleetConfig, type FireResult } from './fleet/fleet.mjs';
import { connectTo, disconnectFrom, startRedisServer, type RedisServer } from './support/redis-server.mjs';

const PROCESSES = 4;
const CONCURRENT = 1000;
let auth: DevServer;
let redisServer: RedisServer;
let fleet: Fleet | undefined;

const requestsFor = (scope: string): number => auth.stats.snapshot().byKey[statsKey({ clientId: DEFAULT_CLIENT_ID, scope })]?.requests ?? 0;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const config = (redis: RedisServer | undefined, extra: Partial<FleetConfig> = {}): FleetConfig =>
  fleetConfig(auth, redis === undefined ? {} : { redisPort: redis.port }, extra);

/** Every call of every process succeeded, and all got one and the same token. */
function expectOneSharedToken(results: FireResult[]): string {
  expect(results.map((result) => ({ ok: result.ok, errors: result.errors }))).toEqual(results.map(() => ({ ok: CONCURRENT, errors: [] })));
  const values = new Set(results.flatMap((result) => result.values));
  expect(values.size).toBe(1);
  return [...values][0] as string;
}

/** Polls until `done` holds; bounded, so a broken fleet fails the test instead of hanging it. */
async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (await done()) return;
    await sleep(50);
  }
  throw new Error(`the fleet never got there: ${what}`);
}

beforeAll(async () => {
  assertBuilt();
  auth = await startDevServer({ signingAlg: 'ES256' });
  redisServer = await startRedisServer();
});
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
  auth.faults.clear();
});
afterAll(async () => {
  await redisServer.stop();
  await auth.close();
});

it('makes exactly one token request per key for 4 processes x 1,000 concurrent cold requests', async () => {
  fleet = await startFleet({ size: PROCESSES, config: config(redisServer) });
  // A slow token server: the processes that lose the lock really wait for the one that holds it.
  auth.faults.inject({ type: 'latency', latencyMs: 200 });
  const scopes = ['fleet:a', 'fleet:b', 'fleet:c'];
  const results = await Promise.all(scopes.map((scope) => fleet!.fire(scope, CONCURRENT)));
  for (const [index, scope] of scopes.entries()) {
    expectOneSharedToken(results[index] as FireResult[]);
    expect(requestsFor(scope)).toBe(1);
  }
  const counts = await fleet.counts();
  // Per key, every process but the one that requested it took the token from Redis.
  expect(counts.reduce((sum, count) => sum + count.adopted, 0)).toBe(scopes.length * (PROCESSES - 1));
  expect(counts.reduce((sum, count) => sum + count.storeErrors, 0)).toBe(0);
});

it('without the store, each process requests its own token (the baseline the store removes)', async () => {
  fleet = await startFleet({ size: PROCESSES, config: config(undefined) });
  const results = await fleet.fire('baseline', CONCURRENT);
  expect(results.map((result) => result.ok)).toEqual(results.map(() => CONCURRENT));
  expect(requestsFor('baseline')).toBe(PROCESSES);
});

it('shares encrypted tokens the same way', async () => {
  fleet = await startFleet({ size: PROCESSES, config: config(redisServer, { encryptionKey: randomBytes(32).toString('base64') }) });
  expectOneSharedToken(await fleet.fire('encrypted', CONCURRENT));
  expect(requestsFor('encrypted')).toBe(1);
});

it('refreshes ahead once across the fleet, and every process moves to the new token', async () => {
  // 3-second tokens: usable until 2.7 s (10% skew), refreshed from 2.16 s on (80% of the usable life).
  auth.setTokenTtl(3);
  try {
    fleet = await startFleet({ size: PROCESSES, config: config(redisServer) });
    const first = expectOneSharedToken(await fleet.fire('refresh', CONCURRENT));
    await sleep(2_300);
    // Hits past the refresh point: each process answers at once and refreshes in the background.
    await fleet.fire('refresh', 10);
    await until(async () => (await fleet!.counts()).every((count) => count.tokenLoads === 2), 'every process loaded a second token');
    const second = expectOneSharedToken(await fleet.fire('refresh', CONCURRENT));
    expect(second).not.toBe(first);
    expect(requestsFor('refresh')).toBe(2);
  } finally {
    auth.setTokenTtl(3600);
  }
});

it('keeps every request succeeding when Redis dies mid-run, falling back to direct token requests', async () => {
  const doomed = await startRedisServer();
  try {
    fleet = await startFleet({ size: PROCESSES, config: config(doomed) });
    expectOneSharedToken(await fleet.fire('before-crash', CONCURRENT));
    expect(requestsFor('before-crash')).toBe(1);

    // Redis dies while one process holds the lock and requests a token, and the others wait on Redis for it.
    auth.faults.inject({ type: 'latency', latencyMs: 1_000 });
    const probe = await connectTo(doomed);
    const during = fleet.fire('during-crash', CONCURRENT);
    try {
      await until(async () => (await probe.keys('mca-oauth:v1:lock:*')).length > 0, 'a process took the lock');
      expect(await probe.keys('mca-oauth:v1:token:*')).toHaveLength(1); // only before-crash's token: none stored yet
    } finally {
      await disconnectFrom(probe);
    }
    await doomed.kill();
    const duringResults = await during;
    expect(duringResults.map((result) => ({ ok: result.ok, failed: result.failed }))).toEqual(
      duringResults.map(() => ({ ok: CONCURRENT, failed: 0 })),
    );
    expect(requestsFor('during-crash')).toBeLessThanOrEqual(PROCESSES);

    // With Redis gone, each process asks the token server itself, once (its own cache still single-flights).
    const after = await fleet.fire('after-crash', CONCURRENT);
    expect(after.map((result) => ({ ok: result.ok, failed: result.failed }))).toEqual(after.map(() => ({ ok: CONCURRENT, failed: 0 })));
    expect(requestsFor('after-crash')).toBe(PROCESSES);
    expect((await fleet.counts()).every((count) => count.storeErrors > 0)).toBe(true);
  } finally {
    await doomed.stop();
  }
});
