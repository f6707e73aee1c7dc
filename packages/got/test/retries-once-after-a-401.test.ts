import { jest } from '@jest/globals';
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
  world.api.received.clear();
  world.api.rejectNext(0);
});

// got's own retries are off so every request the API sees is one this adapter made.
const client = () => got.extend(mcaHooks(world.options()), { retry: { limit: 0 } });

it('gets a new token and retries once when the API rejects the token', async () => {
  const api = client();
  await api.get(`${world.api.url}/api/warm-up`);
  const before = world.auth.stats.tokenRequests;
  world.api.rejectNext(1);
  const echo = await api.get(`${world.api.url}/api/echo`).json<EchoBody>();
  expect(echo.claims).toBeDefined();
  const [rejected, retried] = world.api.received.authorizations('/api/echo');
  expect(world.api.received.forPath('/api/echo')).toHaveLength(2);
  expect(rejected).toBe(world.api.received.authorizations('/api/warm-up')[0]);
  expect(retried).toMatch(/^Bearer /);
  expect(retried).not.toBe(rejected);
  expect(world.auth.stats.tokenRequests - before).toBe(1);
});

it('replays a JSON body on the retry', async () => {
  world.api.rejectNext(1);
  const echo = await client().post(`${world.api.url}/api/echo`, { json: { order: 42 } }).json<EchoBody>();
  expect(echo.body).toBe('{"order":42}');
  expect(world.api.received.forPath('/api/echo')).toHaveLength(2);
});

it('gives a second 401 back to the caller as got’s HTTPError, after exactly two attempts', async () => {
  const before = world.auth.stats.tokenRequests;
  const error = await client().get(`${world.api.url}/api/unauthorized`).catch((error: unknown) => error);
  expect(error).toBeInstanceOf(HTTPError);
  expect((error as HTTPError).response.statusCode).toBe(401);
  expect(world.api.received.forPath('/api/unauthorized')).toHaveLength(2);
  expect(world.auth.stats.tokenRequests - before).toBe(2);
});

it('resolves with the second 401 when throwHttpErrors is false', async () => {
  const response = await client().get(`${world.api.url}/api/unauthorized`, { throwHttpErrors: false });
  expect(response.statusCode).toBe(401);
  expect(world.api.received.forPath('/api/unauthorized')).toHaveLength(2);
});

it('does not retry a request whose body is a stream, and the next request gets a new token', async () => {
  const api = client();
  world.api.rejectNext(1);
  const error = await api
    .post(`${world.api.url}/api/upload`, { body: Readable.from(['chunk']) })
    .catch((error: unknown) => error);
  expect((error as HTTPError).response.statusCode).toBe(401);
  expect(world.api.received.forPath('/api/upload')).toHaveLength(1);

  const echo = await api.get(`${world.api.url}/api/after-upload`).json<EchoBody>();
  expect(echo.headers.authorization).not.toBe(world.api.received.authorizations('/api/upload')[0]);
});

it('retries once per request when the caller’s own hook retries too, with preserveHooks', async () => {
  const callerRetriesOnce = got.extend({
    hooks: {
      afterResponse: [
        (response, retryWithMergedOptions) =>
          response.statusCode === 401 && response.request.options.context.callerRetried !== true
            ? retryWithMergedOptions({ context: { callerRetried: true }, preserveHooks: true } as Parameters<typeof retryWithMergedOptions>[0])
            : response,
      ],
    },
  });
  const api = got.extend(callerRetriesOnce, mcaHooks(world.options()), { retry: { limit: 0 } });
  const before = world.auth.stats.tokenRequests;
  const error = await api.get(`${world.api.url}/api/unauthorized`).catch((error: unknown) => error);
  expect((error as HTTPError).response.statusCode).toBe(401);
  // The caller's retry, then ours with a new token, then the 401 goes back: no loop.
  const sent = world.api.received.authorizations('/api/unauthorized');
  expect(sent).toHaveLength(3);
  expect(sent[1]).toBe(sent[0]);
  expect(sent[2]).not.toBe(sent[1]);
  expect(world.auth.stats.tokenRequests - before).toBe(2);
});

it('never asks got for a second retry of the same request, whatever got does with its hook list', async () => {
  const hooks = mcaHooks(world.options());
  let firstResponse: Parameters<(typeof hooks.hooks.afterResponse)[number]>[0] | undefined;
  const api = got.extend({ hooks: { afterResponse: [(response) => ((firstResponse ??= response), response)] } }, hooks, {
    retry: { limit: 0 },
  });
  await api.get(`${world.api.url}/api/unauthorized`, { throwHttpErrors: false });
  expect(firstResponse?.statusCode).toBe(401);

  // Hand the first 401 to our hook again, as a got that kept its hooks on retry would.
  const retryAgain = jest.fn<() => never>();
  const answer = await hooks.hooks.afterResponse[0]!(firstResponse!, retryAgain);
  expect(retryAgain).not.toHaveBeenCalled();
  expect(answer).toBe(firstResponse);
});
