/**
 * Issue #18, scenario 4: a Sentinel deployment (1 master, 1 replica, 3 sentinels) and ioredis clients with
 * `sentinels`. The fleet guarantee holds on it; and `SENTINEL FAILOVER` while 4 processes send stamped requests
 * fails no call, costs a key at most one duplicate token request, and the store serves the fleet again from the
 * promoted replica.
 */
import { jest } from '@jest/globals';
import { callNode, waitUntil } from '../support/redis-cluster.mjs';
import { expectDisruptionSurvived, expectFleetGuarantee, TOKEN_TTL_S, useSentinelScenario } from './scenario-support.js';

jest.setTimeout(120_000);

const scenario = useSentinelScenario();

it('makes exactly one token request per key for 4 processes x 1,000 cold calls for each of 50 keys', async () => {
  // A slow token server: the processes that lose a lock really wait for the one that holds it.
  scenario.auth.faults.inject({ type: 'latency', latencyMs: 200 });
  try {
    await expectFleetGuarantee(scenario.fleet, scenario.auth, Array.from({ length: 50 }, (_, index) => `sentinel:${index}`));
  } finally {
    scenario.auth.faults.clear();
  }
  expect((await scenario.fleet.counts()).map((counts) => counts.storeErrors)).toEqual([0, 0, 0, 0]);
});

it('survives SENTINEL FAILOVER under load with no failed call, and shares tokens through the new master', async () => {
  scenario.auth.setTokenTtl(TOKEN_TTL_S);
  try {
    const scopes = Array.from({ length: 12 }, (_, index) => `sentinel-failover:${index}`);
    await expectFleetGuarantee(scenario.fleet, scenario.auth, scopes, 100);
    const before = await scenario.servers.masterPort();
    await expectDisruptionSurvived(scenario.fleet, scenario.auth, scopes, async () => {
      expect(await callNode(scenario.servers.sentinels[0]!.port, 'SENTINEL', 'FAILOVER', scenario.servers.name)).toBe('OK');
      await waitUntil(async () => (await scenario.servers.masterPort()) !== before, 'the sentinels named a new master');
      await scenario.servers.waitHealthy();
    });
    expect(await scenario.servers.masterPort()).not.toBe(before);
  } finally {
    scenario.auth.setTokenTtl(3600);
  }
});
