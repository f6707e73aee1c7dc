import diagnostics from 'node:diagnostics_channel';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import got, { TimeoutError, type RequestError } from 'got';
import { CHANNEL_NAMES } from '@mca-oauth/core';
import type { EchoBody } from '@mca-oauth/dev-server';
import { mcaHooks, McaErrorCodes } from '../src/index.js';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';

// Jest 30 fails a test that leaves an unhandled rejection, so every test here also proves there is none.
let world: TestWorld;
beforeEach(async () => {
  // A world per test: a slow token response still held by the server must not reach the next test.
  world = await startTestWorld();
});
afterEach(() => world.close());

/** Resolves when core starts a token request, i.e. when the request is waiting for its token. */
function tokenRequestStarted(): Promise<void> {
  return new Promise((resolve) => {
    const onStart = (): void => {
      diagnostics.unsubscribe(CHANNEL_NAMES.tokenRequestStart, onStart);
      resolve();
    };
    diagnostics.subscribe(CHANNEL_NAMES.tokenRequestStart, onStart);
  });
}

const SLOW_TOKEN = { type: 'latency', latencyMs: 20_000 } as const;

it('rejects with got’s abort error when the caller aborts during the token fetch, before the token arrives', async () => {
  world.auth.faults.inject(SLOW_TOKEN);
  const controller = new AbortController();
  const started = tokenRequestStarted();
  const request = got(`${world.api.url}/api/echo`, { signal: controller.signal, hooks: mcaHooks(world.options()).hooks });
  await started;
  controller.abort();
  const error = await request.catch((error: unknown) => error);
  expect((error as RequestError).name).toBe('AbortError');
  expect((error as RequestError).code).toBe('ERR_ABORTED');
  expect(world.auth.stats.snapshot().tokenRequests.successes).toBe(0);
  expect(world.api.received.forPath('/api/echo')).toEqual([]);
});

it('rejects with got’s TimeoutError for signal: AbortSignal.timeout(), a deadline that covers the token wait', async () => {
  world.auth.faults.inject(SLOW_TOKEN);
  const api = got.extend(mcaHooks(world.options()));
  const error = await api.get(`${world.api.url}/api/echo`, { signal: AbortSignal.timeout(50) }).catch((error: unknown) => error);
  // got turns a TimeoutError reason into its own TimeoutError (its code differs: 23 in got 14, ETIMEDOUT in 16).
  expect(error).toBeInstanceOf(TimeoutError);
  expect(world.auth.stats.snapshot().tokenRequests.successes).toBe(0);
  expect(world.api.received.forPath('/api/echo')).toEqual([]);
});

it('makes no token request for a signal that is already aborted', async () => {
  const api = got.extend(mcaHooks(world.options()));
  const error = await api.get(`${world.api.url}/api/echo`, { signal: AbortSignal.abort() }).catch((error: unknown) => error);
  expect((error as RequestError).code).toBe('ERR_ABORTED');
  expect(world.auth.stats.tokenRequests).toBe(0);
});

it('bounds the token wait with core’s timeoutMs: MCA_TOKEN_TIMEOUT, before the token arrives', async () => {
  world.auth.faults.inject(SLOW_TOKEN);
  const api = got.extend(mcaHooks(world.options({ timeoutMs: 100 })));
  const error = await api.get(`${world.api.url}/api/echo`).catch((error: unknown) => error);
  expect((error as RequestError).code).toBe(McaErrorCodes.TOKEN_TIMEOUT);
  expect(world.auth.stats.snapshot().tokenRequests.successes).toBe(0);
});

it('does not count the token wait against got’s timeout.request, which starts once the request is sent (got 14 and 16)', async () => {
  // The documented limitation this pins: a slow token fetch is not a got TimeoutError.
  world.auth.faults.inject({ type: 'latency', latencyMs: 1_000, times: 1 });
  const api = got.extend(mcaHooks(world.options()), { timeout: { request: 250 }, retry: { limit: 0 } });
  const echo = await api.get(`${world.api.url}/api/echo`).json<EchoBody>();
  expect(echo.claims).toBeDefined();
});

it('still applies got’s timeout to the stamped request itself', async () => {
  // An API that takes the request and never answers.
  const held: IncomingMessage[] = [];
  const silent = createServer((request) => void held.push(request));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  try {
    const api = got.extend(mcaHooks(world.options({ match: silentUrl })), { timeout: { request: 100 }, retry: { limit: 0 } });
    const error = await api.get(`${silentUrl}/slow`).catch((error: unknown) => error);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(held.map((request) => request.headers.authorization)).toEqual([expect.stringMatching(/^Bearer /)]);
  } finally {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  }
});
