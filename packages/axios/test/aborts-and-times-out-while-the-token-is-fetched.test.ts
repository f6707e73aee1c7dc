/**
 * Contract 7: `signal` and `timeout` still work while the token is being fetched. axios's own timeout
 * starts in the adapter, after the interceptors, so the adapter bounds the token wait itself.
 * No wall-clock thresholds: the request must settle while the slow token response is still held.
 */
import diagnostics from 'node:diagnostics_channel';
import axios, { type AxiosError } from 'axios';
import { CHANNEL_NAMES } from '@mca-oauth/core';
import { isMcaError, McaErrorCodes, type McaError } from '../src/index.js';
import { protectedClient, useWorld } from './harness.js';

const context = useWorld();

/** Resolves once the dev server has taken the queued fault, i.e. a token request has arrived. */
async function untilFaultTaken(): Promise<void> {
  while (context.world.auth.faults.list().length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Holds the next token request for a minute (until the world closes, in practice). */
function holdNextTokenRequest(): { taken: Promise<void> } {
  context.world.auth.faults.inject({ type: 'latency', latencyMs: 60_000, times: 1 });
  return { taken: untilFaultTaken() };
}

function settledWhileTokenHeld(): void {
  const stats = context.world.auth.stats.snapshot();
  expect(stats.tokenRequests.successes).toBe(0);
  expect(context.world.api.received.paths()).toEqual([]);
}

describe('abort and timeout during the token wait', () => {
  it('aborting config.signal rejects with axios’s CanceledError, MCA_ABORTED as cause', async () => {
    const { world } = context;
    const { taken } = holdNextTokenRequest();
    const { http } = protectedClient(world);
    const controller = new AbortController();
    const request = http.get('/api/echo', { signal: controller.signal }).catch((error: unknown) => error);
    await taken;
    controller.abort();
    const error = (await request) as AxiosError & { cause: McaError };
    settledWhileTokenHeld();
    expect(axios.isCancel(error)).toBe(true);
    expect(error.code).toBe('ERR_CANCELED');
    expect(error.name).toBe('CanceledError');
    expect(isMcaError(error.cause)).toBe(true);
    expect(error.cause.code).toBe(McaErrorCodes.ABORTED);
  });

  it('a signal aborted before the request rejects as axios does, and asks for no token', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    const misses: unknown[] = [];
    const onMiss = (event: unknown): void => void misses.push(event);
    diagnostics.subscribe(CHANNEL_NAMES.cacheMiss, onMiss);
    try {
      const error = await http.get('/api/echo', { signal: AbortSignal.abort() }).catch((e: unknown) => e);
      expect(axios.isCancel(error)).toBe(true);
    } finally {
      diagnostics.unsubscribe(CHANNEL_NAMES.cacheMiss, onMiss);
    }
    expect(misses).toEqual([]);
    expect(world.api.received.paths()).toEqual([]);
  });

  it('config.timeout rejects with axios’s timeout error (ECONNABORTED)', async () => {
    const { world } = context;
    const { taken } = holdNextTokenRequest();
    const { http } = protectedClient(world);
    const error = (await http.get('/api/echo', { timeout: 100 }).catch((e: unknown) => e)) as AxiosError & { cause: McaError };
    await taken;
    settledWhileTokenHeld();
    expect(axios.isAxiosError(error)).toBe(true);
    expect(axios.isCancel(error)).toBe(false);
    expect(error.code).toBe('ECONNABORTED');
    expect(error.message).toBe('timeout of 100ms exceeded');
    expect(error.cause.code).toBe(McaErrorCodes.TOKEN_TIMEOUT);
  });

  it('honours timeoutErrorMessage and transitional.clarifyTimeoutError (ETIMEDOUT)', async () => {
    const { world } = context;
    holdNextTokenRequest();
    const { http } = protectedClient(world);
    const error = (await http
      .get('/api/echo', { timeout: 50, timeoutErrorMessage: 'orders API too slow', transitional: { clarifyTimeoutError: true } })
      .catch((e: unknown) => e)) as AxiosError;
    settledWhileTokenHeld();
    expect(error.code).toBe('ETIMEDOUT');
    expect(error.message).toBe('orders API too slow');
  });

  it('the token fetch others share goes on: a later request gets the token once it arrives', async () => {
    const { world } = context;
    world.auth.faults.inject({ type: 'latency', latencyMs: 200, times: 1 });
    const taken = untilFaultTaken();
    const { http } = protectedClient(world);
    const controller = new AbortController();
    const aborted = http.get('/api/echo', { signal: controller.signal }).catch((e: unknown) => e);
    const waiting = http.get('/api/echo');
    await taken;
    controller.abort();
    expect(axios.isCancel(await aborted)).toBe(true);
    expect((await waiting).status).toBe(200);
    expect(world.auth.stats.tokenRequests).toBe(1);
  });
});
