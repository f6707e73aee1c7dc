/**
 * What the Redis Cluster and Sentinel scenarios share: the fleet's settings, steady load while servers fail over,
 * and a timeline of token requests per key from which duplicates are counted.
 */
import { DEFAULT_CLIENT_ID, startDevServer, statsKey, type DevServer } from '@mca-oauth/dev-server';
import { tokenKeys } from '../../src/redis-keys.js';
import { fleetConfig } from '../fleet/fleet-config.js';
import { assertBuilt, startFleet, type FireResult, type Fleet, type FleetConfig } from '../fleet/fleet.mjs';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.mjs';
import { startRedisSentinel, type RedisSentinel } from '../support/redis-sentinel.mjs';

export const PROCESSES = 4;
/** The tokens' lifetime under load: 2 s, usable 1.8 s, refreshed from 1.44 s on. */
export const TOKEN_TTL_S = 2;
/** A fleet that coordinates requests a key's token about every 1.4 s: one within 1 s of the one before is a duplicate. */
const DUPLICATE_WITHIN_MS = 1_000;
export const CONCURRENT = 1000;
/** The store's default key prefix, under which the fleet's keys live. */
const KEY_PREFIX = 'mca-oauth:v1:';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function requestsFor(auth: DevServer, scope: string): number {
  return auth.stats.snapshot().byKey[statsKey({ clientId: DEFAULT_CLIENT_ID, scope })]?.requests ?? 0;
}

/** What a scenario file works with; set in its beforeAll. */
export interface Scenario<Servers> {
  auth: DevServer;
  servers: Servers;
  fleet: Fleet;
}

/**
 * Registers the beforeAll and afterAll of a scenario file: the dev server, the Redis servers `start` starts, and a
 * fleet of 4 processes whose store uses them. Everything is stopped afterwards, whatever happened.
 */
function useScenario<Servers extends { close(): Promise<void> }>(start: () => Promise<Servers>, target: (servers: Servers) => Partial<FleetConfig>): Scenario<Servers> {
  const scenario = {} as Scenario<Servers>;
  beforeAll(async () => {
    assertBuilt();
    scenario.auth = await startDevServer({ signingAlg: 'ES256' });
    scenario.servers = await start();
    scenario.fleet = await startFleet({ size: PROCESSES, config: fleetConfig(scenario.auth, target(scenario.servers)) });
  });
  afterAll(async () => {
    await scenario.fleet?.close();
    await scenario.servers?.close();
    await scenario.auth?.close();
  });
  return scenario;
}

/** A scenario on a Redis Cluster of 3 masters and 3 replicas. */
export const useClusterScenario = (): Scenario<RedisCluster> => useScenario(() => startRedisCluster(), (cluster) => ({ redisCluster: cluster.startupNodes }));

/** A scenario on 1 master, 1 replica and 3 sentinels. */
export const useSentinelScenario = (): Scenario<RedisSentinel> =>
  useScenario(() => startRedisSentinel(), (sentinel) => ({ redisSentinel: { sentinels: sentinel.sentinelAddresses, name: sentinel.name } }));

/** Every call of every process succeeded. */
export function expectNoFailure(results: FireResult[], concurrent = CONCURRENT): void {
  expect(results.map((result) => ({ scope: result.scope, ok: result.ok, errors: result.errors }))).toEqual(
    results.map((result) => ({ scope: result.scope, ok: concurrent, errors: [] })),
  );
}

/** Every call of every process succeeded, and all got one and the same token. */
export function expectOneSharedToken(results: FireResult[], concurrent = CONCURRENT): void {
  expectNoFailure(results, concurrent);
  expect(new Set(results.flatMap((result) => result.values)).size).toBe(1);
}

/** `count` cold calls in every process for each scope at once: the fleet guarantee, one token request per scope. */
export async function expectFleetGuarantee(fleet: Fleet, auth: DevServer, scopes: string[], count = CONCURRENT): Promise<void> {
  const adoptedBefore = (await fleet.counts()).reduce((sum, counts) => sum + counts.adopted, 0);
  const requestsBefore = scopes.map((scope) => requestsFor(auth, scope));
  const results = await Promise.all(scopes.map((scope) => fleet.fire(scope, count)));
  for (const result of results) expectOneSharedToken(result, count);
  const requests = scopes.map((scope, index) => [scope, requestsFor(auth, scope) - (requestsBefore[index] as number)]);
  expect(Object.fromEntries(requests)).toEqual(Object.fromEntries(scopes.map((scope) => [scope, 1])));
  const adopted = (await fleet.counts()).reduce((sum, counts) => sum + counts.adopted, 0) - adoptedBefore;
  // Per scope, every process but the one that requested the token took it from Redis.
  expect(adopted).toBe(scopes.length * (fleet.size - 1));
}

/** The Cluster slot of each scope's token (its lock shares the slot: one hash tag). */
export async function slotsOf(fleet: Fleet, cluster: RedisCluster, scopes: string[]): Promise<Record<string, number>> {
  const keys = await fleet.storeKeys();
  const slots: Record<string, number> = {};
  for (const scope of scopes) {
    const key = keys[scope];
    if (key === undefined) throw new Error(`no process has asked the store for ${scope}'s token yet`);
    slots[scope] = await cluster.slotOf(tokenKeys(KEY_PREFIX, key).value);
  }
  return slots;
}

export interface LoadResult {
  calls: number;
  failed: number;
  errors: string[];
}

/**
 * Steady load: every process keeps making `callsPerRound` calls for each scope, round after round, until `stop()`,
 * which resolves what all the calls came to.
 */
export function startLoad(fleet: Fleet, scopes: string[], callsPerRound = 20, pauseMs = 30): { stop(): Promise<LoadResult> } {
  const total: LoadResult = { calls: 0, failed: 0, errors: [] };
  let running = true;
  const loop = (async () => {
    while (running) {
      const rounds = await Promise.all(scopes.map((scope) => fleet.fire(scope, callsPerRound)));
      for (const result of rounds.flat()) {
        total.calls += result.ok + result.failed;
        total.failed += result.failed;
        for (const error of result.errors) if (!total.errors.includes(error)) total.errors.push(error);
      }
      await sleep(pauseMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return total;
    },
  };
}

/**
 * When each token request of each scope arrived, sampled every 10 ms. With steady load, a fleet that coordinates
 * requests a scope's token once per refresh (every ~80% of its usable life); a request that follows the previous
 * one much sooner is a duplicate: two processes asked at the same time.
 */
export function startTimeline(auth: DevServer, scopes: string[]): { stop(): Record<string, number[]> } {
  const times: Record<string, number[]> = Object.fromEntries(scopes.map((scope) => [scope, []]));
  const seen: Record<string, number> = Object.fromEntries(scopes.map((scope) => [scope, requestsFor(auth, scope)]));
  const sample = (): void => {
    const now = Date.now();
    for (const scope of scopes) {
      const requests = requestsFor(auth, scope);
      for (; (seen[scope] as number) < requests; seen[scope] = (seen[scope] as number) + 1) times[scope]!.push(now);
    }
  };
  const timer = setInterval(sample, 10);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return times;
    },
  };
}

/** Requests that came less than `minGapMs` after the scope's previous one: duplicates. */
export function duplicatesIn(times: Record<string, number[]>, minGapMs: number): Record<string, number> {
  return Object.fromEntries(
    Object.entries(times).map(([scope, arrivals]) => [scope, arrivals.filter((time, index) => index > 0 && time - (arrivals[index - 1] as number) < minGapMs).length]),
  );
}

/**
 * Keeps `scopes` under load (tokens of TOKEN_TTL_S seconds) while `disrupt` fails over or reshards Redis and waits
 * until it has settled, then two more token lifetimes; checks that no call and no store command failed, that no key
 * got more than one duplicate token request, and that the store serves the fleet again afterwards.
 */
export async function expectDisruptionSurvived(fleet: Fleet, auth: DevServer, scopes: string[], disrupt: () => Promise<void>): Promise<void> {
  const errorsBefore = (await fleet.counts()).map((counts) => counts.storeErrors);
  const timeline = startTimeline(auth, scopes);
  const load = startLoad(fleet, scopes);
  let outcome: LoadResult;
  let times: Record<string, number[]>;
  let disrupted = Number.POSITIVE_INFINITY;
  let settled = Number.POSITIVE_INFINITY;
  try {
    await sleep(2_500);
    disrupted = Date.now();
    await disrupt();
    settled = Date.now();
    // Two more token lifetimes under load after it settled.
    await sleep(2 * TOKEN_TTL_S * 1000);
  } finally {
    outcome = await load.stop();
    times = timeline.stop();
  }
  // With commandTimeoutMs above the failover's few seconds, the store waits it out (MOVED to a dead master,
  // CLUSTERDOWN, READONLY: ioredis's own retries may run out first) and never fails; the processes keep sharing.
  const failures = (await fleet.counts()).map((counts, index) => ({ errors: counts.storeErrors - (errorsBefore[index] as number), kinds: counts.storeFailures }));
  expect(failures).toEqual(failures.map(() => ({ errors: 0, kinds: [] })));
  expect({ failed: outcome.failed, errors: outcome.errors }).toEqual({ failed: 0, errors: [] });
  expect(outcome.calls).toBeGreaterThan(10_000);
  // The load really made the fleet refresh every key before the disruption and after it had settled.
  const refreshes = Object.values(times).map((arrivals) => ({
    before: arrivals.some((time) => time < disrupted),
    after: arrivals.some((time) => time > settled),
  }));
  expect(refreshes).toEqual(refreshes.map(() => ({ before: true, after: true })));
  const duplicates = duplicatesIn(times, DUPLICATE_WITHIN_MS);
  expect(Object.entries(duplicates).filter(([, count]) => count > 1)).toEqual([]);
  // The store serves the fleet again, from the new owner of the slot: once the tokens have expired everywhere, cold
  // calls make one token request per key.
  await sleep(TOKEN_TTL_S * 1000 + 200);
  await expectFleetGuarantee(fleet, auth, scopes, 200);
}
