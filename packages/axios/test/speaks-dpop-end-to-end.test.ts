/** DPoP (RFC 9449) against the dev server: a proof per request and per hop, nonce and token retries, each at most once. */
import { Readable } from 'node:stream';
import type { AxiosError } from 'axios';
import type { EchoBody } from '@mca-oauth/dev-server';
import { protectedClient, tokenRequests, useWorld } from './harness.js';
import { expectDpopStamped } from '../../../test-support/dpop.js';

const context = useWorld();
beforeEach(() => {
  const { auth, api } = context.world;
  auth.dpop.requireNonce = false;
  api.dpop.requireNonce = false;
});

const client = () => protectedClient(context.world, { dpop: true }).http;


it('sends Authorization: DPoP and a proof the API accepts, a new one per request', async () => {
  const http = client();
  const first = await http.put<EchoBody>('/api/echo?q=1', 'x');
  const second = await http.get<EchoBody>('/api/echo', { params: { page: 2 } });
  expectDpopStamped(first.data);
  expect(second.data.headers.dpop).not.toBe(first.data.headers.dpop);
  expect(context.world.api.stats.dpop.snapshot()).toMatchObject({ accepted: 2, rejected: 0 });
});

it('goes through nonces at the token endpoint and the API, keeping the token for the nonce retry', async () => {
  const { world } = context;
  world.auth.dpop.requireNonce = true;
  world.api.dpop.requireNonce = true;
  const response = await client().post<EchoBody>('/api/echo', { n: 1 });
  expect(response.data.body).toBe('{"n":1}');
  const [first, retried] = world.api.received.authorizations('/api/echo');
  expect(retried).toBe(first);
  expect(tokenRequests(world)).toBe(2);
  expect(world.api.stats.dpop.rejectedFor('nonce')).toBe(1);
});

it('makes a token retry and a nonce retry at most once each', async () => {
  const { world } = context;
  world.api.dpop.requireNonce = true;
  world.api.rejectNext(1);
  const http = client();
  expect((await http.get('/api/echo')).status).toBe(200);
  const [rejected, nonceless, withNonce] = world.api.received.authorizations('/api/echo');
  expect(nonceless).not.toBe(rejected);
  expect(withNonce).toBe(nonceless);
  world.api.rejectNext(2);
  const error = (await http.get('/api/echo').catch((caught: unknown) => caught)) as AxiosError;
  expect(error.response?.status).toBe(401);
  expect(world.api.received.authorizations('/api/echo')).toHaveLength(5);
});

it('does not resend a stream body when the API asks for a nonce', async () => {
  const { world } = context;
  world.api.dpop.requireNonce = true;
  const error = (await client().post('/api/echo', Readable.from(['once'])).catch((caught: unknown) => caught)) as AxiosError;
  expect(error.response?.status).toBe(401);
  expect(world.api.received.authorizations('/api/echo')).toHaveLength(1);
});

it('gives a hop in the match a proof for its own method and URL, and a hop leaving it neither header', async () => {
  const { world } = context;
  const http = client();
  const hop = await http.post<EchoBody>(world.redirectUrl(`${world.api.url}/api/echo?hop=1`, 303), 'x');
  expect(hop.data.method).toBe('GET');
  expectDpopStamped(hop.data);
  expect(world.api.stats.dpop.snapshot().rejected).toBe(0);
  const away = await http.get<EchoBody>(world.redirectUrl(`${world.elsewhere.url}/x`));
  expect(away.data.headers.authorization).toBeUndefined();
  expect(away.data.headers.dpop).toBeUndefined();
});

it.each([
  ['Authorization and DPoP', { Authorization: 'DPoP caller-token', DPoP: 'caller.proof.value' }, 'DPoP caller-token'],
  ['a DPoP proof alone', { dpop: 'caller.proof.value' }, undefined],
])('leaves a request with the caller’s own %s as it is, and fetches no token', async (_label, headers, expected) => {
  const { world } = context;
  await client().get('/api/echo', { headers, validateStatus: () => true });
  expect(world.api.received.authorizations('/api/echo')).toEqual([expected]);
  expect(tokenRequests(world)).toBe(0);
});

it('works the same through axios’s fetch adapter, nonce retry included', async () => {
  const { world } = context;
  world.api.dpop.requireNonce = true;
  const { http } = protectedClient(world, { dpop: true }, { adapter: 'fetch' });
  const response = await http.get<EchoBody>('/api/echo');
  expectDpopStamped(response.data);
  expect(world.api.stats.dpop.rejectedFor('nonce')).toBe(1);
});
