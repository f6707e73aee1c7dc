import got from 'got';
import type { EchoBody } from '@mca-oauth/dev-server';
import { mcaHooks } from '../src/index.js';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld();
});
afterAll(() => world.close());

it('sends 100 concurrent requests with an empty cache on one token request, all with that token', async () => {
  const api = got.extend(mcaHooks(world.options()), { retry: { limit: 0 } });
  const echoes = await Promise.all(
    Array.from({ length: 100 }, (_, index) => api.get(`${world.api.url}/api/burst`, { searchParams: { index } }).json<EchoBody>()),
  );
  expect(world.auth.stats.tokenRequests).toBe(1);
  expect(new Set(echoes.map((echo) => echo.headers.authorization)).size).toBe(1);
  expect(echoes.every((echo) => echo.claims !== undefined)).toBe(true);
  expect(world.api.received.forPath('/api/burst')).toHaveLength(100);
});
