import got from 'got';
import type { EchoBody } from '@mca-oauth/dev-server';
import { mcaHooks } from '../src/index.js';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld();
});
afterAll(() => world.close());
beforeEach(() => world.api.received.clear());

const client = () => got.extend(mcaHooks(world.options()), { retry: { limit: 0 }, throwHttpErrors: false });

it.each([
  ['lower case', { authorization: 'Basic dXNlcjpwdw==' }],
  ['capitalized', { Authorization: 'Basic dXNlcjpwdw==' }],
  ['upper case', { AUTHORIZATION: 'Basic dXNlcjpwdw==' }],
])('keeps a header the caller set, %s, and neither fetches a token nor retries its 401', async (_case, headers) => {
  const before = world.auth.stats.tokenRequests;
  const response = await client().get(`${world.api.url}/api/echo`, { headers });
  expect(response.statusCode).toBe(401);
  expect(world.api.received.authorizations('/api/echo')).toEqual(['Basic dXNlcjpwdw==']);
  expect(world.auth.stats.tokenRequests).toBe(before);
});

it('keeps a header set in the instance defaults by an earlier extend()', async () => {
  const api = got.extend({ headers: { authorization: 'Bearer from-defaults' } }).extend(mcaHooks(world.options()));
  await api.get(`${world.api.url}/api/echo`, { throwHttpErrors: false, retry: { limit: 0 } });
  expect(world.api.received.authorizations('/api/echo')).toEqual(['Bearer from-defaults']);
});

it('keeps the Basic header got builds from username and password', async () => {
  await client().get(`${world.api.url}/api/echo`, { username: 'user', password: 'pw' });
  expect(world.api.received.authorizations('/api/echo')).toEqual([`Basic ${Buffer.from('user:pw').toString('base64')}`]);
});

it('replaces the caller’s header with the token when overwriteAuthorization is set', async () => {
  const api = got.extend(mcaHooks(world.options({ overwriteAuthorization: true })));
  const echo = await api.get(`${world.api.url}/api/echo`, { headers: { Authorization: 'Basic dXNlcjpwdw==' } }).json<EchoBody>();
  expect(echo.headers.authorization).toMatch(/^Bearer /);
  expect(echo.claims).toBeDefined();
});

it('never removes a header the caller set on a URL outside the match', async () => {
  await client().get(`${world.elsewhere.url}/callers-own`, { headers: { authorization: 'Bearer callers-own' } });
  expect(world.elsewhere.received.authorizations('/callers-own')).toEqual(['Bearer callers-own']);
});

it('leaves a caller’s header on a redirect to got’s own policy (got keeps it on the same origin)', async () => {
  const echo = await client()
    .get(world.redirectUrl(`${world.api.url}/public/echo`), { headers: { authorization: 'Bearer callers-own' } })
    .json<EchoBody>();
  expect(echo.headers.authorization).toBe('Bearer callers-own');
});
