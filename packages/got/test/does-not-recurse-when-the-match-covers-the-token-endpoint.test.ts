import got from 'got';
import type { EchoBody } from '@mca-oauth/dev-server';
import { mcaHooks } from '../src/index.js';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld();
});
afterAll(() => world.close());

it('gets its token over core’s own connection, not through got, so one token request serves both origins', async () => {
  // Core's token request never goes through this got instance, so its hooks cannot see it and cannot loop.
  const api = got.extend(mcaHooks(world.options({ match: [world.auth.url, `${world.api.url}/api`] })), { retry: { limit: 0 } });
  const echo = await api.get(`${world.api.url}/api/echo`).json<EchoBody>();
  const jwks = await api.get(world.auth.jwksUri).json<{ keys: unknown[] }>();
  expect(echo.claims).toBeDefined();
  expect(jwks.keys.length).toBeGreaterThan(0);
  expect(world.auth.stats.tokenRequests).toBe(1);
});
