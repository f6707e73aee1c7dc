/**
 * Issue #18, scenario 2: a Cluster master fails over while 4 processes send stamped requests with 2-second tokens:
 * first a manual `CLUSTER FAILOVER` on its replica, then a crash of the master's process. No call fails; a key
 * gets at most one extra token request per failover; and without a restart of the app, the store serves the
 * fleet again from the promoted replica.
 */
import { jest } from '@jest/globals';
import { startDevServer, type DevServer } from '@mca-oauth/dev-server';
import { assertBuilt, startFleet, type Fleet } from '../fleet/fleet.mjs';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.mjs';
import { expectDisruptionSurvived, expectFleetGuarantee, fleetConfig, PROCESSES, slotsOf, TOKEN_TTL_S } from './scenario-support.js';

jest.setTimeout(120_000);


let auth: DevServer;
let cluster: RedisCluster;
let fleet: Fleet;

beforeAll(async () => {
  assertBuilt();
  auth = await startDevServer({ signingAlg: 'ES256' });
  auth.setTokenTtl(TOKEN_TTL_S);
  cluster = await startRedisCluster();
  fleet = await startFleet({ size: PROCESSES, config: fleetConfig(auth, { redisCluster: cluster.startupNodes }) });
});
afterAll(async () => {
  await fleet?.close();
  await cluster?.close();
  await auth?.close();
});

/** Fails over the master of the first scope's slot under load, and checks the promoted replica serves it after. */
async function failOverUnderLoad(scopes: string[], failOver: (owners: { master: number; replica: number }) => Promise<void>) {
  await expectFleetGuarantee(fleet, auth, scopes, 100);
  const slot = (await slotsOf(fleet, cluster, scopes))[scopes[0] as string] as number;
  const owners = await cluster.ownersOf(slot);
  if (owners.replica === undefined) throw new Error(`the master of slot ${slot} has no replica to fail over to`);
  const replica = owners.replica;
  await expectDisruptionSurvived(fleet, auth, scopes, async () => {
    await failOver({ master: owners.master, replica });
    await cluster.waitHealthy();
    expect((await cluster.ownersOf(slot)).master).toBe(replica);
  });
}

const scopesOf = (name: string): string[] => Array.from({ length: 12 }, (_, index) => `${name}:${index}`);

it('survives CLUSTER FAILOVER on the replica of a busy key\'s master with no failed call', async () => {
  await failOverUnderLoad(scopesOf('manual'), async ({ replica }) => {
    expect(await cluster.call(replica, 'CLUSTER', 'FAILOVER')).toBe('OK');
  });
});

it('survives a crash of a busy key\'s master (its replica takes over) with no failed call', async () => {
  let killed: number | undefined;
  try {
    await failOverUnderLoad(scopesOf('crash'), async ({ master }) => {
      killed = master;
      await cluster.node(master)!.kill();
    });
  } finally {
    // The crashed node comes back as a replica of the one that replaced it.
    if (killed !== undefined) await cluster.node(killed)!.restart();
  }
  await cluster.waitHealthy();
});
