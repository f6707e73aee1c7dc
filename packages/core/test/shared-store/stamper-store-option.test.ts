import nock from 'nock';
import { McaErrorCodes } from '../../src/errors/index.js';
import { createStamper } from '../../src/stamping/stamper.js';
import type { McaOptions } from '../../src/config/options.js';
import type { SharedTokenStore } from '../../src/shared-store/index.js';
import { MemoryStore } from './memory-store.js';
import { useNock } from '../support/use-nock.js';

// A host no other test file uses, so no other file's interceptors can answer for it.
const AUTH = 'https://shared-store-auth.example.com';
const API = 'https://shared-store-api.example.com/api';

const options = (store: unknown): McaOptions => ({
  match: API,
  tokenEndpoint: `${AUTH}/token`,
  clientId: 'client',
  secret: 'store-option-Secret',
  // Each stamper gets its own cache, as each process of a fleet has.
  cacheSize: 10,
  env: {},
  store: store as SharedTokenStore,
});

useNock();

it('refuses a store that lacks an operation, naming the option (MCA_INVALID_OPTION)', () => {
  const { waitForToken: _missing, ...incomplete } = Object.fromEntries(
    ['get', 'set', 'lock', 'waitForToken'].map((name) => [name, async () => undefined]),
  );
  for (const store of [incomplete, null, 'redis://localhost']) {
    expect(() => createStamper(options(store))).toThrow(
      expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION, message: expect.stringContaining("'store'") }),
    );
  }
});

it('shares one token request between stampers with their own caches and one store', async () => {
  const scope = nock(AUTH).post('/token').once().reply(200, { access_token: 'fleet-token', token_type: 'Bearer', expires_in: 3600 });
  const store = new MemoryStore();
  const first = createStamper(options(store));
  const second = createStamper(options(store));
  expect(await first.authorizationFor(`${API}/orders`)).toBe('Bearer fleet-token');
  expect(await second.authorizationFor(`${API}/orders`)).toBe('Bearer fleet-token');
  expect(scope.isDone()).toBe(true);
  // Without the store, the second stamper would have made its own request: nock would have refused it.
});

it('stores no client secret: the key is a hash and the value is the token with its times', async () => {
  nock(AUTH).post('/token').once().reply(200, { access_token: 'value-token', token_type: 'Bearer', expires_in: 3600 });
  const keys: string[] = [];
  const values: unknown[] = [];
  const store = new MemoryStore();
  const spying: SharedTokenStore = {
    get: (key) => store.get(key),
    set: (key, token, ttlMs) => {
      keys.push(key);
      values.push({ ...token.toJSON(), accessToken: token.accessToken });
      return store.set(key, token, ttlMs);
    },
    lock: (key) => store.lock(key),
    waitForToken: (key, isWanted) => store.waitForToken(key, isWanted),
  };
  await createStamper(options(spying)).authorizationFor(`${API}/x`);
  expect(keys).toHaveLength(1);
  expect(keys[0]).toMatch(/^[\w-]{22}$/);
  expect(JSON.stringify({ keys, values })).not.toContain('store-option-Secret');
  expect(values[0]).toEqual(expect.objectContaining({ accessToken: 'value-token', issuedAt: expect.any(Number), expiresAt: expect.any(Number) }));
});

it('shares a DPoP token only between replicas holding the same key (its thumbprint is in the token identity)', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const scope = nock(AUTH).post('/token').times(2).reply(200, () => ({ access_token: `dpop-${Math.random()}`, token_type: 'DPoP', expires_in: 3600 }));
  const store = new MemoryStore();
  const shared = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const replica = (privateKey: typeof shared) => createStamper({ ...options(store), dpop: { privateKey } });
  const first = (await replica(shared).stampFor('GET', `${API}/a`))!;
  const sameKey = (await replica(shared).stampFor('GET', `${API}/a`))!;
  const otherKey = (await replica(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey).stampFor('GET', `${API}/a`))!;
  expect(sameKey.authorization).toBe(first.authorization);
  expect(otherKey.authorization).not.toBe(first.authorization);
  expect(first.authorization).toMatch(/^DPoP dpop-/);
  scope.done();
});
