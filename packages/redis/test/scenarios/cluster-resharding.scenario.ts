/**
 * Issue #18, scenario 3: the slot of a busy key moves to another master while 4 processes send stamped requests
 * (CLUSTER SETSLOT ... IMPORTING / MIGRATING, MIGRATE, SETSLOT ... NODE, as `redis-cli --cluster reshard` does).
 * The clients follow ASK during the move and MOVED after it; no call fails, and no key gets more than one duplicate
 * token request.
 */
import { jest } from '@jest/globals';
import { HOST } from '../support/redis-cluster.mjs';
import { expectDisruptionSurvived, expectFleetGuarantee, sleep, slotsOf, TOKEN_TTL_S, useClusterScenario } from './scenario-support.js';

jest.setTimeout(120_000);

const scenario = useClusterScenario();
beforeAll(() => scenario.auth.setTokenTtl(TOKEN_TTL_S));

/** A count from INFO (e.g. `cmdstat_asking` calls, `errorstat_MOVED` count) of one node; 0 when absent. */
async function statOf(port: number, section: string, pattern: RegExp): Promise<number> {
  return Number(pattern.exec(String(await scenario.servers.call(port, 'INFO', section)))?.[1] ?? 0);
}

/** Moves every key of `slot` from `source` to `target` (MIGRATE keeps each key's TTL). */
async function migrateKeys(slot: number, source: number, target: number): Promise<void> {
  for (;;) {
    const keys = (await scenario.servers.call(source, 'CLUSTER', 'GETKEYSINSLOT', slot, 100)) as string[];
    if (keys.length === 0) return;
    await scenario.servers.call(source, 'MIGRATE', HOST, target, '', 0, 5000, 'KEYS', ...keys);
  }
}

it('follows ASK and MOVED while a busy key\'s slot moves to another master, with no failed call', async () => {
  const scopes = Array.from({ length: 12 }, (_, index) => `reshard:${index}`);
  await expectFleetGuarantee(scenario.fleet, scenario.auth, scopes, 100);
  const slot = (await slotsOf(scenario.fleet, scenario.servers, scopes))[scopes[0] as string] as number;
  const source = await scenario.servers.ownersOf(slot);
  const topology = await scenario.servers.topology();
  const target = topology.find((node) => node.master && !node.failed && node.id !== source.masterId)!;
  const masters = topology.filter((node) => node.master && !node.failed);
  const askingBefore = await statOf(target.port, 'commandstats', /cmdstat_asking:calls=(\d+)/);
  const movedBefore = await statOf(source.master, 'errorstats', /errorstat_MOVED:count=(\d+)/);

  await expectDisruptionSurvived(scenario.fleet, scenario.auth, scopes, async () => {
    expect(await scenario.servers.call(target.port, 'CLUSTER', 'SETSLOT', slot, 'IMPORTING', source.masterId)).toBe('OK');
    expect(await scenario.servers.call(source.master, 'CLUSTER', 'SETSLOT', slot, 'MIGRATING', target.id)).toBe('OK');
    await migrateKeys(slot, source.master, target.port);
    // While the slot is migrating, its keys are on the target: the source answers ASK, and a token refresh or
    // two happens in this window.
    await sleep(TOKEN_TTL_S * 1000);
    await migrateKeys(slot, source.master, target.port);
    // The target first, then the source, then the other masters, as redis-cli --cluster reshard does.
    const order = [target, ...masters.filter((node) => node.id !== target.id)];
    for (const node of order) expect(await scenario.servers.call(node.port, 'CLUSTER', 'SETSLOT', slot, 'NODE', target.id)).toBe('OK');
    await scenario.servers.waitHealthy();
    expect((await scenario.servers.ownersOf(slot)).master).toBe(target.port);
  });

  // The clients were sent on by ASK (an ASKING before each command on the target) while the slot was migrating,
  // and by MOVED once it had moved: the source still gets asked about its old slot, and redirects.
  expect(await statOf(target.port, 'commandstats', /cmdstat_asking:calls=(\d+)/)).toBeGreaterThan(askingBefore);
  expect(await statOf(source.master, 'errorstats', /errorstat_MOVED:count=(\d+)/)).toBeGreaterThan(movedBefore);
});
