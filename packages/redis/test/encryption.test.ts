import { createSecretKey, randomBytes } from 'node:crypto';
import { IssuedToken } from '@mca-oauth/core';
import type { Redis } from 'ioredis';
import { createRedisTokenStore, RedisStoreErrorCodes } from '../src/index.js';
import { connectTo, disconnectFrom, startRedisServer, type RedisServer } from './support/redis-server.mjs';

const MINUTE = 60_000;
let server: RedisServer;
let redis: Redis;
let prefixNumber = 0;
/** Each test writes under its own prefix, so it can read back exactly the keys it wrote. */
const freshPrefix = (): string => `encryption-${(prefixNumber += 1)}:`;
const token = (value: string): IssuedToken => new IssuedToken(value, Date.now(), Date.now() + 10 * MINUTE);

async function storedValue(prefix: string): Promise<string> {
  const [name] = await redis.keys(`${prefix}token:*`);
  return (await redis.get(name as string)) as string;
}

beforeAll(async () => {
  server = await startRedisServer();
  redis = await connectTo(server);
});
afterAll(async () => {
  await disconnectFrom(redis);
  await server.stop();
});

it('stores no trace of the token when encryptionKey is set, and reads it back', async () => {
  const keyPrefix = freshPrefix();
  const store = createRedisTokenStore({ redis, keyPrefix, encryptionKey: randomBytes(32) });
  await store.set('k', token('plain-token-text'), MINUTE);
  expect(await storedValue(keyPrefix)).not.toContain('plain-token-text');
  expect((await store.get('k'))?.accessToken).toBe('plain-token-text');
});

it('stores the token in plain text without a key (what ACL and TLS must then protect)', async () => {
  const keyPrefix = freshPrefix();
  await createRedisTokenStore({ redis, keyPrefix }).set('k', token('visible-token'), MINUTE);
  expect(JSON.parse(await storedValue(keyPrefix))).toEqual(expect.objectContaining({ v: 1, tok: 'visible-token' }));
});

it('refuses a value sealed with another key, an altered one, and a plain one planted where it encrypts', async () => {
  const keyPrefix = freshPrefix();
  const store = createRedisTokenStore({ redis, keyPrefix, encryptionKey: randomBytes(32) });
  await createRedisTokenStore({ redis, keyPrefix, encryptionKey: randomBytes(32) }).set('k', token('other-key'), MINUTE);
  await expect(store.get('k')).rejects.toMatchObject({ code: RedisStoreErrorCodes.UNREADABLE });

  await store.set('k', token('original'), MINUTE);
  const [name] = await redis.keys(`${keyPrefix}token:*`);
  const sealed = JSON.parse(await storedValue(keyPrefix)) as { ct: string };
  const flipped = Buffer.from(sealed.ct, 'base64url');
  flipped[0] = (flipped[0] as number) ^ 1;
  await redis.set(name as string, JSON.stringify({ ...sealed, ct: flipped.toString('base64url') }));
  await expect(store.get('k')).rejects.toMatchObject({ code: RedisStoreErrorCodes.UNREADABLE });

  await createRedisTokenStore({ redis, keyPrefix }).set('k', token('planted'), MINUTE);
  await expect(store.get('k')).rejects.toMatchObject({ code: RedisStoreErrorCodes.UNREADABLE, message: expect.stringContaining('not encrypted') });
});

it('binds a sealed value to its key: copied under another token key, it does not decrypt', async () => {
  const keyPrefix = freshPrefix();
  const store = createRedisTokenStore({ redis, keyPrefix, encryptionKey: randomBytes(32) });
  await store.set('first', token('bound'), MINUTE);
  await store.set('second', token('other'), MINUTE);
  const [a, b] = await redis.keys(`${keyPrefix}token:*`);
  await redis.set(b as string, (await redis.get(a as string)) as string);
  const results = await Promise.allSettled([store.get('first'), store.get('second')]);
  expect(results.filter((result) => result.status === 'rejected')).toHaveLength(1);
});

it('rotates keys: a value sealed with the old key still reads while it is in decryptionKeys', async () => {
  const keyPrefix = freshPrefix();
  const oldKey = randomBytes(32);
  await createRedisTokenStore({ redis, keyPrefix, encryptionKey: oldKey }).set('k', token('sealed-with-old'), MINUTE);
  const rotated = createRedisTokenStore({ redis, keyPrefix, encryptionKey: createSecretKey(randomBytes(32)), decryptionKeys: [oldKey] });
  expect((await rotated.get('k'))?.accessToken).toBe('sealed-with-old');
  const afterRotation = createRedisTokenStore({ redis, keyPrefix, encryptionKey: randomBytes(32) });
  await expect(afterRotation.get('k')).rejects.toMatchObject({ code: RedisStoreErrorCodes.UNREADABLE });
});
