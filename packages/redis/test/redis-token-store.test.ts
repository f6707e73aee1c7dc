import { inspect } from 'node:util';
import { IssuedToken } from '@mca-oauth/core';
import type { Redis } from 'ioredis';
import { createRedisTokenStore, RedisStoreErrorCodes } from '../src/index.js';
import { connectTo, disconnectFrom, startRedisServer, type RedisServer } from './support/redis-server.mjs';

const MINUTE = 60_000;
let server: RedisServer;
let redis: Redis;
let keyNumber = 0;
/** A fresh core-style key per test, so tests never see each other's values or locks. */
const freshKey = (): string => `core-key-${(keyNumber += 1)}`;
const tokenFor = (value: string, lifetimeMs = 10 * MINUTE): IssuedToken => new IssuedToken(value, Date.now(), Date.now() + lifetimeMs, 'orders:read');

beforeAll(async () => {
  server = await startRedisServer();
  redis = await connectTo(server);
});
afterAll(async () => {
  await disconnectFrom(redis);
  await server.stop();
});

describe('values', () => {
  it('gives back the stored token with its times and scope', async () => {
    const store = createRedisTokenStore({ redis });
    const key = freshKey();
    const token = tokenFor('round-trip');
    await store.set(key, token, MINUTE);
    const read = await store.get(key);
    expect(read).toBeInstanceOf(IssuedToken);
    expect({ accessToken: read?.accessToken, issuedAt: read?.issuedAt, expiresAt: read?.expiresAt, scope: read?.scope }).toEqual({
      accessToken: 'round-trip', issuedAt: token.issuedAt, expiresAt: token.expiresAt, scope: 'orders:read',
    });
    expect(inspect(read)).not.toContain('round-trip');
  });

  it('answers undefined for a key with no token', async () => {
    expect(await createRedisTokenStore({ redis }).get(freshKey())).toBeUndefined();
  });

  it('stores with the TTL core asks for, so Redis drops the token before it expires', async () => {
    const store = createRedisTokenStore({ redis, keyPrefix: 'ttl-test:' });
    await store.set(freshKey(), tokenFor('ttl'), 45_000);
    const names = await redis.keys('ttl-test:token:*');
    expect(names).toHaveLength(1);
    const ttl = await redis.pttl(names[0] as string);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(45_000);
  });

  it('namespaces and hashes keys: a prefix, a hash tag shared by value and lock, nothing of the core key', async () => {
    const store = createRedisTokenStore({ redis, keyPrefix: 'hashing-test:' });
    await store.set('readable-core-key', tokenFor('keys'), MINUTE);
    const lock = await store.lock('readable-core-key');
    const names = (await redis.keys('hashing-test:*')).sort();
    await lock?.release();
    expect(names).toEqual([expect.stringMatching(/^hashing-test:lock:\{[\w-]{22}\}$/), expect.stringMatching(/^hashing-test:token:\{[\w-]{22}\}$/)]);
    const tags = names.map((name) => name.slice(name.indexOf('{')));
    expect(tags[0]).toBe(tags[1]);
    expect(names.join()).not.toContain('readable');
  });

  it('treats a value it cannot read as an error of the store (MCA_STORE_UNREADABLE), without echoing the value', async () => {
    const store = createRedisTokenStore({ redis, keyPrefix: 'garbage:' });
    await store.set('k', tokenFor('x'), MINUTE);
    const [valueKey] = await redis.keys('garbage:token:*');
    for (const garbage of ['not json', '{"v":2,"tok":"t"}', JSON.stringify({ v: 1, iat: 1, exp: 2, tok: 'evil\r\nX-Injected: 1' })]) {
      await redis.set(valueKey as string, garbage);
      await expect(store.get('k')).rejects.toMatchObject({ code: RedisStoreErrorCodes.UNREADABLE, message: expect.not.stringContaining('evil') });
    }
  });
});

describe('locks', () => {
  it('lets exactly one of many concurrent callers take a key\'s lock', async () => {
    const store = createRedisTokenStore({ redis });
    const key = freshKey();
    const locks = await Promise.all(Array.from({ length: 50 }, () => store.lock(key)));
    expect(locks.filter((lock) => lock !== undefined)).toHaveLength(1);
  });

  it('frees the lock on release, and when its lease ends', async () => {
    const store = createRedisTokenStore({ redis, lockLeaseMs: 100 });
    const key = freshKey();
    const first = await store.lock(key);
    await first?.release();
    const second = await store.lock(key);
    expect(second).toBeDefined();
    expect(await store.lock(key)).toBeUndefined();
    // No release of the second: its 100 ms lease ends by itself (Redis never shows an expired key).
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await store.lock(key)).toBeDefined();
  });

  it('never releases a lock another process took after its own lease ended (compare-and-delete)', async () => {
    const store = createRedisTokenStore({ redis, lockLeaseMs: 100 });
    const key = freshKey();
    const expired = await store.lock(key);
    let successor = await store.lock(key);
    while (successor === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      successor = await store.lock(key);
    }
    await expired?.release();
    expect(await store.lock(key)).toBeUndefined();
    await successor.release();
    expect(await store.lock(key)).toBeDefined();
  });
});

describe('waiting for another process', () => {
  it('resolves the token once the holder stores one the caller wants', async () => {
    const store = createRedisTokenStore({ redis });
    const key = freshKey();
    const lock = await store.lock(key);
    const waited = store.waitForToken(key, (token) => token.accessToken === 'wanted');
    await store.set(key, tokenFor('unwanted'), MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await store.set(key, tokenFor('wanted'), MINUTE);
    const result = await waited;
    await lock?.release();
    expect(result.outcome).toBe('token');
    expect(result.outcome === 'token' && result.token.accessToken).toBe('wanted');
  });

  it('resolves released when the holder lets go without a token', async () => {
    const store = createRedisTokenStore({ redis });
    const key = freshKey();
    const lock = await store.lock(key);
    const waited = store.waitForToken(key, () => true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await lock?.release();
    expect(await waited).toEqual({ outcome: 'released' });
  });

  it('resolves timeout after waitTimeoutMs while the holder keeps the lock', async () => {
    const store = createRedisTokenStore({ redis, waitTimeoutMs: 150 });
    const key = freshKey();
    const lock = await store.lock(key);
    expect(await store.waitForToken(key, () => true)).toEqual({ outcome: 'timeout' });
    await lock?.release();
  });
});

describe('time limits', () => {
  it('does not mistake its own busy event loop for a slow Redis: a reply that arrived meanwhile is used', async () => {
    const store = createRedisTokenStore({ redis, commandTimeoutMs: 50 });
    const key = freshKey();
    await store.set(key, tokenFor('arrived-during-lag'), MINUTE);
    const read = store.get(key);
    // Block the event loop past commandTimeoutMs while Redis answers into the socket buffer.
    const until = Date.now() + 200;
    while (Date.now() < until);
    expect((await read)?.accessToken).toBe('arrived-during-lag');
  });
});
