/** The cache's view: hits, misses, stale hits and refreshes ahead of expiry; and a failing shared store. */
import { createStamper, createTokenCache, IssuedToken, type SharedTokenStore } from '@mca-oauth/core';
import { ATTRIBUTE_NAMES, METRIC_NAMES, SPAN_NAMES } from '../src/index.js';
import { total, useTelemetryWorld } from './support/telemetry.js';

const scene = useTelemetryWorld();
beforeEach(() => scene.telemetry.reset());

it('counts a miss, a hit, and a stale hit with the refresh it starts once the token passes its refresh point', async () => {
  let skewMs = 0;
  const cache = createTokenCache({ now: () => Date.now() + skewMs });
  const stamper = createStamper(scene.world.options({ cache, cacheSize: undefined, clockSkewMs: 0 }));
  const url = `${scene.world.api.url}/api/echo`;
  await stamper.authorizationFor(url);
  expect(typeof stamper.authorizationFor(url)).toBe('string');
  skewMs = scene.world.auth.tokenTtl * 1000 * 0.9;
  expect(typeof stamper.authorizationFor(url)).toBe('string');
  await new Promise((resolve) => setTimeout(resolve, 200));
  await scene.telemetry.collect();
  const lookups = scene.telemetry.points(METRIC_NAMES.cacheLookups);
  const count = (result: string): number => total(lookups, { [ATTRIBUTE_NAMES.cacheResult]: result });
  expect([count('miss'), count('hit'), count('stale'), count('refresh')]).toEqual([1, 1, 1, 1]);
  expect(total(scene.telemetry.points(METRIC_NAMES.tokenRequests), { [ATTRIBUTE_NAMES.outcome]: 'success' })).toBe(2);
});

it('counts a failing shared store by operation and code, while the token still comes from the endpoint', async () => {
  const failure = Object.assign(new Error('store down'), { code: 'MCA_STORE_TIMEOUT' });
  const store: SharedTokenStore = {
    get: () => Promise.reject(failure),
    set: () => Promise.reject(failure),
    lock: () => Promise.reject(failure),
    waitForToken: () => Promise.reject(failure),
  };
  const stamper = createStamper(scene.world.options({ store }));
  expect(await stamper.authorizationFor(`${scene.world.api.url}/api/echo`)).toMatch(/^Bearer /);
  await scene.telemetry.collect();
  const errors = scene.telemetry.points(METRIC_NAMES.storeErrors);
  expect(total(errors, { [ATTRIBUTE_NAMES.storeOperation]: 'get', [ATTRIBUTE_NAMES.errorType]: 'MCA_STORE_TIMEOUT' })).toBe(1);
  expect(total(errors)).toBeGreaterThanOrEqual(1);
});

it('a token adopted from the shared store is counted as adopted, and its span says it came from the store', async () => {
  scene.world.auth.stats.reset();
  const stored = new IssuedToken('stored-token-from-another-process', Date.now(), Date.now() + 3_600_000);
  const store: SharedTokenStore = {
    get: async () => stored,
    set: async () => undefined,
    lock: async () => ({ release: async () => undefined }),
    waitForToken: async () => ({ outcome: 'token', token: stored }),
  };
  const stamper = createStamper(scene.world.options({ store }));
  expect(await stamper.authorizationFor(`${scene.world.api.url}/api/echo`)).toBe(stored.authorization);
  expect(scene.world.auth.stats.tokenRequests).toBe(0);
  const [span] = scene.telemetry.spans().filter((each) => each.name === SPAN_NAMES.tokenRequest);
  expect(span!.attributes[ATTRIBUTE_NAMES.tokenSource]).toBe('store');
  await scene.telemetry.collect();
  const requests = scene.telemetry.points(METRIC_NAMES.tokenRequests);
  expect(total(requests, { [ATTRIBUTE_NAMES.outcome]: 'adopted' })).toBe(1);
  expect(total(requests, { [ATTRIBUTE_NAMES.outcome]: 'success' })).toBe(0);
});
