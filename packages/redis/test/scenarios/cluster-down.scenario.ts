/**
 * Issue #18, scenario 5: the whole Cluster stops. Calls still succeed, each process requesting its token directly
 * (a dead store never fails a request); and when the Cluster comes back, the same clients reconnect and the store
 * is used again, without a restart of the app.
 */
import { jest } from '@jest/globals';
import { startDevServer, type DevServer } from '@mca-oauth/dev-server';
import { assertBuilt, startFleet, type Fleet } from '../fleet/fleet.mjs';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.mjs';
import { CONCURRENT, expectFleetGuarantee, expectNoFailure, fleetConfig, PROCESSES, requestsFor, sleep } from './scenario-support.js';

jest.setTimeout(120_000);

let auth: DevServer;
let cluster: RedisCluster;
let fleet: Fleet;

beforeAll(async () => {
  assertBuilt();
  auth = await startDevServer({ signingAlg: 'ES256' });
  cluster = await startRedisCluster();
  // A stopped Cluster fails each command at once ("Cluster isn't ready", enableOfflineQueue: false): the generous
  // commandTimeoutMs of the other scenarios costs nothing here.
  fleet = await startFleet({ size: PROCESSES, config: fleetConfig(auth, { redisCluster: cluster.startupNodes }) });
});
afterAll(async () => {
  await fleet?.close();
  await cluster?.close();
  await auth?.close();
});

it('answers every call with a directly requested token while the whole Cluster is down, and shares again once it is back', async () => {
  const scopes = (name: string): string[] => Array.from({ length: 10 }, (_, index) => `${name}:${index}`);
  await expectFleetGuarantee(fleet, auth, scopes('before'));

  await cluster.stop();
  const errorsBefore = (await fleet.counts()).map((counts) => counts.storeErrors);
  const down = scopes('down');
  const results = await Promise.all(down.map((scope) => fleet.fire(scope, CONCURRENT)));
  results.forEach((result) => expectNoFailure(result));
  // Each process asks the token server itself, once per key (its own cache still single-flights).
  expect(down.map((scope) => requestsFor(auth, scope))).toEqual(down.map(() => PROCESSES));
  const errorsAfter = (await fleet.counts()).map((counts) => counts.storeErrors);
  expect(errorsAfter.every((count, index) => count > (errorsBefore[index] as number))).toBe(true);

  await cluster.start();
  // The clients reconnect on their own (clusterRetryStrategy, at most a second apart): keep trying new keys
  // until one is shared, within a bound; from then on, every key is.
  let attempt = 0;
  for (;;) {
    const scope = `back:probe:${(attempt += 1)}`;
    const probe = await fleet.fire(scope, 10);
    expectNoFailure(probe, 10);
    if (requestsFor(auth, scope) === 1) break;
    if (attempt >= 30) throw new Error('the fleet did not use the store again within 30 attempts after the Cluster came back');
    await sleep(500);
  }
  await expectFleetGuarantee(fleet, auth, scopes('back'));
});
