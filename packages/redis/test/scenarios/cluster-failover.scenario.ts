/**
 * Issue #18, scenario 2: a Cluster master fails over while 4 processes send stamped requests with 2-second tokens:
 * first a manual `CLUSTER FAILOVER` on its replica, then a crash of the master's process. No call fails; a key
 * gets at most one extra token request per failover; and without a restart of the app, the store serves the
 * fleet again from the promoted replica.
 */
import { jest } from '@jest/globals';
import { expectDisruptionSurvived, expectFleetGuarantee, slotsOf, TOKEN_TTL_S, useClusterScenario } from './scenario-support.js';

jest.setTimeout(120_000);

const scenario = useClusterScenario();
beforeAll(() => scenario.auth.setTokenTtl(TOKEN_TTL_S));

/** Fails over the master of the first scope's slot under load, and checks the promoted replica serves it after. */
async function failOverUnderLoad(scopes: string[], failOver: (owners: { master: number; replica: number }) => Promise<void>) {
  await expectFleetGuarantee(scenario.fleet, scenario.auth, scopes, 100);
  const slot = (await slotsOf(scenario.fleet, scenario.servers, scopes))[scopes[0] as string] as number;
  const owners = await scenario.servers.ownersOf(slot);
  if (owners.replica === undefined) throw new Error(`the master of slot ${slot} has no replica to fail over to`);
  const replica = owners.replica;
  await expectDisruptionSurvived(scenario.fleet, scenario.auth, scopes, async () => {
    await failOver({ master: owners.master, replica });
    await scenario.servers.waitHealthy();
    expect((await scenario.servers.ownersOf(slot)).master).toBe(replica);
  });
}

const scopesOf = (name: string): string[] => Array.from({ length: 12 }, (_, index) => `${name}:${index}`);

it('survives CLUSTER FAILOVER on the replica of a busy key\'s master with no failed call', async () => {
  await failOverUnderLoad(scopesOf('manual'), async ({ replica }) => {
    expect(await scenario.servers.call(replica, 'CLUSTER', 'FAILOVER')).toBe('OK');
  });
});

it('survives a crash of a busy key\'s master (its replica takes over) with no failed call', async () => {
  let killed: number | undefined;
  try {
    await failOverUnderLoad(scopesOf('crash'), async ({ master }) => {
      killed = master;
      await scenario.servers.node(master)!.kill();
    });
  } finally {
    // The crashed node comes back as a replica of the one that replaced it.
    if (killed !== undefined) await scenario.servers.node(killed)!.restart();
  }
  await scenario.servers.waitHealthy();
});
