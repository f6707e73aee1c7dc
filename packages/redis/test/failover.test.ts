/**
 * What real failovers taught the store (issue #18): a write that meets a demoted master (READONLY) is sent again
 * within commandTimeoutMs and succeeds once a master answers; and a lock taken again after a lost reply is ours.
 * The Cluster and Sentinel failovers themselves are the scenarios in test/scenarios/.
 */
import { IssuedToken } from '@mca-oauth/core';
import type { Redis } from 'ioredis';
import { createRedisTokenStore, RedisStoreErrorCodes } from '../src/index.js';
import { isFailoverError } from '../src/failover-errors.js';
import { TAKE_LOCK_SCRIPT } from '../src/lock-scripts.js';
import { connectTo, disconnectFrom, EPHEMERAL, startRedisProcess, startRedisServer, type RedisServer } from './support/redis-server.mjs';

let master: RedisServer;
let replica: RedisServer;
let onReplica: Redis;

const token = (): IssuedToken => new IssuedToken('failover-token', Date.now(), Date.now() + 60_000);

/** How many commands the server rejected with `READONLY` so far (INFO errorstats, Redis 6.2+). */
async function readonlyErrors(redis: Redis): Promise<number> {
  const match = /errorstat_READONLY:count=(\d+)/.exec(await redis.info('errorstats'));
  return Number(match?.[1] ?? 0);
}

async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}

beforeEach(async () => {
  master = await startRedisServer();
  replica = await startRedisProcess({ args: ([port]) => ['--port', String(port), ...EPHEMERAL, '--replicaof', '127.0.0.1', String(master.port)] });
  onReplica = await connectTo(replica);
});
afterEach(async () => {
  await disconnectFrom(onReplica);
  await replica.stop();
  await master.stop();
});

it('sends a write that meets READONLY again, and stores the token once the replica is promoted', async () => {
  const store = createRedisTokenStore({ redis: onReplica, commandTimeoutMs: 10_000 });
  const stored = store.set('promoted', token(), 60_000);
  await until(async () => (await readonlyErrors(onReplica)) >= 2, 'the write was refused twice');
  await onReplica.replicaof('NO', 'ONE');
  await stored;
  expect((await store.get('promoted'))?.accessToken).toBe('failover-token');
});

it('gives up on READONLY within commandTimeoutMs, having tried more than once', async () => {
  const store = createRedisTokenStore({ redis: onReplica, commandTimeoutMs: 300 });
  await expect(store.set('never-promoted', token(), 60_000)).rejects.toMatchObject({
    code: expect.stringMatching(new RegExp(`^(${RedisStoreErrorCodes.UNAVAILABLE}|${RedisStoreErrorCodes.TIMEOUT})$`)),
  });
  expect(await readonlyErrors(onReplica)).toBeGreaterThanOrEqual(2);
});

it('takes a lock again that an earlier send of the same take already holds, and no other holder\'s', async () => {
  await onReplica.replicaof('NO', 'ONE');
  const take = (holder: string): Promise<unknown> => onReplica.eval(TAKE_LOCK_SCRIPT, 1, 'lock:{retry}', holder, 5_000);
  expect(await take('first')).toBe(1);
  expect(await take('first')).toBe(1);
  expect(await take('second')).toBe(0);
  expect(await onReplica.pttl('lock:{retry}')).toBeGreaterThan(0);
});

it('treats failover replies as worth a retry, and a dead or refusing Redis as not', () => {
  const failover = ['CLUSTERDOWN The cluster is down', 'TRYAGAIN Multiple keys request during rehashing of slot', "READONLY You can't write against a read only replica.", 'MASTERDOWN Link with MASTER is down', 'LOADING Redis is loading the dataset in memory', 'Too many Cluster redirections. Last error: ReplyError: MOVED 866 127.0.0.1:7000'];
  const final = ['Connection is closed.', "Stream isn't writeable and enableOfflineQueue options is false", 'NOPERM this user has no permissions', 'Command timed out'];
  expect(failover.map((message) => isFailoverError(new Error(message)))).toEqual(failover.map(() => true));
  expect(final.map((message) => isFailoverError(new Error(message)))).toEqual(final.map(() => false));
});
