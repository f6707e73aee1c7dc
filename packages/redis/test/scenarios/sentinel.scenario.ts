/**
 * Issue #18, scenario 4: a Sentinel deployment (1 master, 1 replica, 3 sentinels) and ioredis clients with
 * `sentinels`. The fleet guarantee holds on it; and `SENTINEL FAILOVER` while 4 processes send stamped requests
 * fails no call, costs a key at most one duplicate token request, and the store serves the fleet again from the
 * promoted replica.
 */
import { jest } from '@jest/globals';
import { startDevServer, type DevServer } from '@mca-oauth/dev-server';
import { assertBuilt, startFleet, type Fleet } from '../fleet/fleet.mjs';
import { callNode, waitUntil } from '../support/redis-cluster.mjs';
import { startRedisSentinel, type RedisSentinel } from '../support/redis-sentinel.mjs';
import { expectDisruptionSurvived, expectFleetGuarantee, fleetConfig, PROCESSES, TOKEN_TTL_S } from './scenario-support.js';

jest.setTimeout(120_000);

let auth: DevServer;
let sentinel: RedisSentinel;
let fleet: Fleet;

beforeAll(async () => {
  assertBuilt();
  auth = await startDevServer({ signingAlg: 'ES256' });
  sentinel = await startRedisSentinel();
  fleet = await startFleet({
    size: PROCESSES,
    config: fleetConfig(auth, { redisSentinel: { sentinels: sentinel.sentinelAddresses, name: sentinel.name } }),
  });
});
afterAll(async () => {
  await fleet?.close();
  await sentinel?.close();
  await auth?.close();
});

it('makes exactly one token request per key for 4 processes x 1,000 cold calls for each of 50 keys', async () => {
  // A slow token server: the processes that lose a lock really wait for the one that holds it.
  auth.faults.inject({ type: 'latency', latencyMs: 200 });
  try {
    await expectFleetGuarantee(fleet, auth, Array.from({ length: 50 }, (_, index) => `sentinel:${index}`));
  } finally {
    auth.faults.clear();
  }
  expect((await fleet.counts()).map((counts) => counts.storeErrors)).toEqual([0, 0, 0, 0]);
});

it('survives SENTINEL FAILOVER under load with no failed call, and shares tokens through the new master', async () => {
  auth.setTokenTtl(TOKEN_TTL_S);
  try {
    const scopes = Array.from({ length: 12 }, (_, index) => `sentinel-failover:${index}`);
    await expectFleetGuarantee(fleet, auth, scopes, 100);
    const before = await sentinel.masterPort();
    await expectDisruptionSurvived(fleet, auth, scopes, async () => {
      expect(await callNode(sentinel.sentinels[0]!.port, 'SENTINEL', 'FAILOVER', sentinel.name)).toBe('OK');
      await waitUntil(async () => (await sentinel.masterPort()) !== before, 'the sentinels named a new master');
      await sentinel.waitHealthy();
    });
    expect(await sentinel.masterPort()).not.toBe(before);
  } finally {
    auth.setTokenTtl(3600);
  }
});
