import diagnostics from 'node:diagnostics_channel';
import { CHANNEL_NAMES, closeIdleTokenConnections, createStamper, type StoreErrorEvent } from '@mca-oauth/core';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startDevServer, statsKey, type DevServer } from '@mca-oauth/dev-server';
import type { Redis } from 'ioredis';
import { createRedisTokenStore, RedisStoreErrorCodes } from '../src/index.js';
import { connectTo, disconnectFrom, startRedisServer, type RedisServer } from './support/redis-server.mjs';

const API = 'http://127.0.0.1:9/api';
let auth: DevServer;
let server: RedisServer;
let redis: Redis;
let storeErrors: StoreErrorEvent[];
const recordError = (event: unknown): void => {
  storeErrors.push(event as StoreErrorEvent);
};

function stamperFor(scope: string, commandTimeoutMs?: number) {
  return createStamper({
    match: API,
    tokenEndpoint: auth.tokenEndpoint,
    clientId: DEFAULT_CLIENT_ID,
    secret: DEFAULT_CLIENT_SECRET,
    scope,
    cacheSize: 10,
    env: {},
    store: createRedisTokenStore({ redis, ...(commandTimeoutMs !== undefined && { commandTimeoutMs }) }),
  });
}

const requestsFor = (scope: string): number => auth.stats.snapshot().byKey[statsKey({ clientId: DEFAULT_CLIENT_ID, scope })]?.requests ?? 0;

beforeAll(async () => {
  auth = await startDevServer();
});
beforeEach(async () => {
  storeErrors = [];
  diagnostics.subscribe(CHANNEL_NAMES.storeError, recordError);
  server = await startRedisServer();
  redis = await connectTo(server);
});
afterEach(async () => {
  diagnostics.unsubscribe(CHANNEL_NAMES.storeError, recordError);
  server.resume(); // a paused server never closes the client's socket
  await disconnectFrom(redis);
  await server.stop();
});
afterAll(async () => {
  closeIdleTokenConnections();
  await auth.close();
});

it('gets tokens from the token server when Redis is dead, and reports the store error', async () => {
  const stamper = stamperFor('dead-redis');
  await server.kill();
  const values = await Promise.all(Array.from({ length: 100 }, () => stamper.authorizationFor(`${API}/x`)));
  expect(new Set(values).size).toBe(1);
  expect(values[0]).toMatch(/^Bearer ey/);
  expect(requestsFor('dead-redis')).toBe(1);
  expect(storeErrors.length).toBeGreaterThan(0);
  expect(storeErrors[0]).toEqual(expect.objectContaining({ operation: 'get', code: RedisStoreErrorCodes.UNAVAILABLE }));
});

it('gives up on a hung Redis after commandTimeoutMs (MCA_STORE_TIMEOUT) and still answers', async () => {
  const stamper = stamperFor('hung-redis', 100);
  server.pause();
  expect(await stamper.authorizationFor(`${API}/x`)).toMatch(/^Bearer ey/);
  expect(requestsFor('hung-redis')).toBe(1);
  expect(storeErrors.map((event) => event.code)).toEqual([RedisStoreErrorCodes.TIMEOUT, RedisStoreErrorCodes.TIMEOUT]);
  expect(storeErrors.map((event) => event.operation)).toEqual(['get', 'lock']);
});
