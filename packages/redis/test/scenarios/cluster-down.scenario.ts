/**
 * Issue #18, scenario 5: the whole Cluster stops. Calls still succeed, each process requesting its token directly
 * (a dead store never fails a request); and when the Cluster comes back, the same clients reconnect and the store
 * is used again, without a restart of the app.
 */
import { jest } from '@jest/globals';
import { CONCURRENT, expectFleetGuarantee, expectNoFailure, PROCESSES, requestsFor, sleep, useClusterScenario } from './scenario-support.js';

jest.setTimeout(120_000);

const scenario = useClusterScenario();

it('answers every call with a directly requested token while the whole Cluster is down, and shares again once it is back', async () => {
  const scopes = (name: string): string[] => Array.from({ length: 10 }, (_, index) => `${name}:${index}`);
  await expectFleetGuarantee(scenario.fleet, scenario.auth, scopes('before'));

  await scenario.servers.stop();
  const errorsBefore = (await scenario.fleet.counts()).map((counts) => counts.storeErrors);
  const down = scopes('down');
  const results = await Promise.all(down.map((scope) => scenario.fleet.fire(scope, CONCURRENT)));
  results.forEach((result) => expectNoFailure(result));
  // Each process asks the token server itself, once per key (its own cache still single-flights).
  expect(down.map((scope) => requestsFor(scenario.auth, scope))).toEqual(down.map(() => PROCESSES));
  const errorsAfter = (await scenario.fleet.counts()).map((counts) => counts.storeErrors);
  expect(errorsAfter.every((count, index) => count > (errorsBefore[index] as number))).toBe(true);

  await scenario.servers.start();
  // The clients reconnect on their own (clusterRetryStrategy, at most a second apart): keep trying new keys
  // until one is shared, within a bound; from then on, every key is.
  let attempt = 0;
  for (;;) {
    const scope = `back:probe:${(attempt += 1)}`;
    const probe = await scenario.fleet.fire(scope, 10);
    expectNoFailure(probe, 10);
    if (requestsFor(scenario.auth, scope) === 1) break;
    if (attempt >= 30) throw new Error('the fleet did not use the store again within 30 attempts after the Cluster came back');
    await sleep(500);
  }
  await expectFleetGuarantee(scenario.fleet, scenario.auth, scopes('back'));
});
