import got, { RequestError } from 'got';
import type { Fault } from '@mca-oauth/dev-server';
import { isMcaError, mcaHooks, McaErrorCodes, type McaError } from '../src/index.js';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';

// Jest 30 fails a test that leaves an unhandled rejection, so every test here also proves there is none.
let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld();
});
afterAll(() => world.close());
afterEach(() => {
  world.auth.faults.clear();
  world.api.received.clear();
});

const client = () => got.extend(mcaHooks(world.options()));

it.each<[string, Fault, string]>([
  ['an HTTP error without an OAuth body (a proxy’s 502 page)', { type: 'status', status: 502 }, McaErrorCodes.TOKEN_HTTP_ERROR],
  [
    'an OAuth error (RFC 6749 §5.2)',
    { type: 'status', status: 400, body: '{"error":"invalid_client"}', contentType: 'application/json' },
    McaErrorCodes.TOKEN_OAUTH_ERROR,
  ],
  ['a body that is not JSON', { type: 'malformed', body: 'non-json' }, McaErrorCodes.TOKEN_INVALID_RESPONSE],
  ['a connection reset', { type: 'reset' }, McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE],
])('%s: got rejects with a RequestError whose code is the McaError’s and whose cause is the McaError', async (_case, fault, code) => {
  world.auth.faults.inject(fault);
  const error = await client().get(`${world.api.url}/api/echo`).catch((error: unknown) => error);
  expect(error).toBeInstanceOf(RequestError);
  expect((error as RequestError).code).toBe(code);
  expect(isMcaError((error as RequestError).cause)).toBe(true);
  expect(((error as RequestError).cause as McaError).code).toBe(code);
  // Nothing was sent to the API without its token.
  expect(world.api.received.forPath('/api/echo')).toEqual([]);
});

it('is not retried by got’s own retry policy (an MCA_ code is not one of its network error codes)', async () => {
  world.auth.faults.inject({ type: 'status', status: 502 });
  let attempts = 0;
  const api = got.extend({ hooks: { beforeRequest: [() => void attempts++] } }, client(), { retry: { limit: 2, backoffLimit: 1 } });
  const error = await api.get(`${world.api.url}/api/echo`).catch((error: unknown) => error);
  expect((error as RequestError).code).toBe(McaErrorCodes.TOKEN_HTTP_ERROR);
  expect(attempts).toBe(1);
});

it('reaches a got stream as its error event, with the same code and cause', async () => {
  world.auth.faults.inject({ type: 'status', status: 502 });
  const stream = client().stream(`${world.api.url}/api/echo`);
  const error = await new Promise<unknown>((resolve) => stream.once('error', resolve).resume());
  expect((error as RequestError).code).toBe(McaErrorCodes.TOKEN_HTTP_ERROR);
  expect(isMcaError((error as RequestError).cause)).toBe(true);
});
