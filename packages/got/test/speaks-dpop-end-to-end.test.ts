/** DPoP (RFC 9449) against the dev server: a proof per request and per hop, nonce and token retries, each at most once. */
import { Readable } from 'node:stream';
import got, { HTTPError } from 'got';
import type { EchoBody } from '@mca-oauth/dev-server';
import { mcaHooks } from '../src/index.js';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld();
});
afterAll(() => world.close());
beforeEach(() => {
  world.auth.stats.reset();
  world.auth.dpop.requireNonce = false;
  world.api.dpop.requireNonce = false;
  world.api.stats.reset();
  world.api.received.clear();
  world.api.rejectNext(0);
});

const client = () => got.extend(mcaHooks(world.options({ dpop: true })), { retry: { limit: 0 } });

function expectDpopStamped(echo: EchoBody): void {
  expect(echo.headers.authorization).toMatch(/^DPoP /);
  expect(echo.headers.dpop).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
}

it('sends Authorization: DPoP and a proof the API accepts, a new one per request', async () => {
  const api = client();
  const first = await api.put(`${world.api.url}/api/echo?q=1`, { body: 'x' }).json<EchoBody>();
  const second = await api.get(`${world.api.url}/api/echo`).json<EchoBody>();
  expectDpopStamped(first);
  expect(second.headers.dpop).not.toBe(first.headers.dpop);
  expect(world.api.stats.dpop.snapshot()).toMatchObject({ accepted: 2, rejected: 0 });
});

it('goes through nonces at the token endpoint and the API, keeping the token for the nonce retry', async () => {
  world.auth.dpop.requireNonce = true;
  world.api.dpop.requireNonce = true;
  const echo = await client().post(`${world.api.url}/api/echo`, { json: { n: 1 } }).json<EchoBody>();
  expect(echo.body).toBe('{"n":1}');
  const [first, retried] = world.api.received.authorizations('/api/echo');
  expect(retried).toBe(first);
  expect(world.auth.stats.tokenRequests).toBe(2);
  expect(world.api.stats.dpop.rejectedFor('nonce')).toBe(1);
});

it('makes a token retry and a nonce retry at most once each', async () => {
  world.api.dpop.requireNonce = true;
  world.api.rejectNext(1);
  const api = client();
  await api.get(`${world.api.url}/api/echo`).json<EchoBody>();
  const [rejected, nonceless, withNonce] = world.api.received.authorizations('/api/echo');
  expect(nonceless).not.toBe(rejected);
  expect(withNonce).toBe(nonceless);
  world.api.rejectNext(2);
  const error = await api.get(`${world.api.url}/api/echo`).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(HTTPError);
  expect((error as HTTPError).response.statusCode).toBe(401);
  expect(world.api.received.authorizations('/api/echo')).toHaveLength(5);
});

it('does not resend a stream body when the API asks for a nonce', async () => {
  world.api.dpop.requireNonce = true;
  const error = await client().post(`${world.api.url}/api/echo`, { body: Readable.from(['once']) }).catch((caught: unknown) => caught);
  expect((error as HTTPError).response.statusCode).toBe(401);
  expect(world.api.received.authorizations('/api/echo')).toHaveLength(1);
});

it('gives a hop in the match a proof for its own method and URL, and a hop leaving it neither header', async () => {
  const api = client();
  const hop = await api.post(world.redirectUrl(`${world.api.url}/api/echo?hop=1`, 303), { body: 'x' }).json<EchoBody>();
  expect(hop.method).toBe('GET');
  expectDpopStamped(hop);
  expect(world.api.stats.dpop.snapshot().rejected).toBe(0);
  const away = await api.get(world.redirectUrl(`${world.elsewhere.url}/x`)).json<EchoBody>();
  expect(away.headers.authorization).toBeUndefined();
  expect(away.headers.dpop).toBeUndefined();
});
