/**
 * Issue #18, scenario 1: the fleet guarantees on a real Redis Cluster (3 masters, 3 replicas). 4 processes make
 * 1,000 cold calls each for each of 50 keys spread over the slots: exactly one token request per key; and a
 * refresh ahead of expiry happens once per scenario.fleet.
 */
import { jest } from '@jest/globals';
import { waitUntil } from '../support/redis-cluster.mjs';
import { CONCURRENT, expectFleetGuarantee, expectOneSharedToken, requestsFor, sleep, slotsOf, useClusterScenario } from './scenario-support.js';

jest.setTimeout(120_000);

const scenario = useClusterScenario();

it('makes exactly one token request per key for 4 processes x 1,000 cold calls for each of 50 keys over all masters', async () => {
  // A slow token server: the processes that lose a lock really wait for the one that holds it.
  scenario.auth.faults.inject({ type: 'latency', latencyMs: 200 });
  const scopes = Array.from({ length: 50 }, (_, index) => `cluster:${index}`);
  try {
    await expectFleetGuarantee(scenario.fleet, scenario.auth, scopes);
  } finally {
    scenario.auth.faults.clear();
  }
  expect((await scenario.fleet.counts()).map((counts) => counts.storeErrors)).toEqual([0, 0, 0, 0]);
  // The keys really are spread: many slots, on every master.
  const slots = Object.values(await slotsOf(scenario.fleet, scenario.servers, scopes));
  expect(new Set(slots).size).toBeGreaterThan(40);
  const masters = new Set(await Promise.all(slots.map(async (slot) => (await scenario.servers.ownersOf(slot)).master)));
  expect(masters.size).toBe(3);
});

it('refreshes ahead once across the scenario.fleet, and every process moves to the new token', async () => {
  // 3-second tokens: usable until 2.7 s (10% skew), refreshed from 2.16 s on (80% of the usable life).
  scenario.auth.setTokenTtl(3);
  try {
    const scopes = ['refresh:a', 'refresh:b', 'refresh:c'];
    const first = await Promise.all(scopes.map((scope) => scenario.fleet.fire(scope, CONCURRENT)));
    first.forEach((results) => expectOneSharedToken(results));
    const loadsBefore = (await scenario.fleet.counts()).map((counts) => counts.tokenLoads);
    await sleep(2_300);
    // Hits past the refresh point: each process answers at once and refreshes in the background.
    await Promise.all(scopes.map((scope) => scenario.fleet.fire(scope, 10)));
    await waitUntil(
      async () => (await scenario.fleet.counts()).every((counts, index) => counts.tokenLoads === (loadsBefore[index] as number) + scopes.length),
      'every process loaded a second token for each scope',
      10_000,
    );
    const second = await Promise.all(scopes.map((scope) => scenario.fleet.fire(scope, CONCURRENT)));
    second.forEach((results, index) => {
      expectOneSharedToken(results);
      expect(results[0]?.values[0]).not.toBe(first[index]?.[0]?.values[0]);
    });
    expect(scopes.map((scope) => requestsFor(scenario.auth, scope))).toEqual([2, 2, 2]);
  } finally {
    scenario.auth.setTokenTtl(3600);
  }
});
