/** Contract 5: a token that cannot be had rejects the request with an AxiosError carrying the McaError and its code. */
import { inspect } from 'node:util';
import axios, { type AxiosError } from 'axios';
import type { Fault } from '@mca-oauth/dev-server';
import { installMca, isMcaError, mcaInterceptor, McaErrorCodes, type McaError } from '../src/index.js';
import { protectedClient, useWorld } from './harness.js';

const context = useWorld();

async function failure(promise: Promise<unknown>): Promise<AxiosError & { cause: McaError }> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome === undefined) throw new Error('the request succeeded');
  return outcome as AxiosError & { cause: McaError };
}

describe('token failures reach the caller as axios errors', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => process.off('unhandledRejection', onUnhandled));
  afterEach(() => expect(unhandled).toEqual([]));

  it.each<[string, string, Fault]>([
    ['a 502 HTML page', McaErrorCodes.TOKEN_HTTP_ERROR, { type: 'status', status: 502 }],
    ['an OAuth error body', McaErrorCodes.TOKEN_OAUTH_ERROR, { type: 'status', status: 400 }],
    ['a body that is not JSON', McaErrorCodes.TOKEN_INVALID_RESPONSE, { type: 'malformed', body: 'non-json' }],
    ['a response without access_token', McaErrorCodes.TOKEN_INVALID_RESPONSE, { type: 'malformed', body: 'missing-access-token' }],
    ['a connection reset', McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE, { type: 'reset' }],
  ])('%s: code %s, the McaError as cause, nothing sent', async (_label, code, fault) => {
    const { world } = context;
    world.auth.faults.inject({ ...fault, times: 1 });
    const { http } = protectedClient(world);
    const error = await failure(http.get('/api/echo'));
    expect(axios.isAxiosError(error)).toBe(true);
    expect(axios.isCancel(error)).toBe(false);
    expect(error.code).toBe(code);
    expect(error.response).toBeUndefined();
    expect(error.config?.url).toBe('/api/echo');
    expect(isMcaError(error.cause)).toBe(true);
    expect(error.cause.code).toBe(code);
    expect(world.api.received.paths()).toEqual([]);
  });

  it('a slow token endpoint: MCA_TOKEN_TIMEOUT after core’s timeoutMs', async () => {
    const { world } = context;
    world.auth.faults.inject({ type: 'latency', latencyMs: 60_000, times: 1 });
    const { http } = protectedClient(world, { timeoutMs: 50 });
    const error = await failure(http.get('/api/echo'));
    expect(error.code).toBe(McaErrorCodes.TOKEN_TIMEOUT);
    expect(error.cause.code).toBe(McaErrorCodes.TOKEN_TIMEOUT);
  });

  it('an unreachable token endpoint: MCA_TOKEN_ENDPOINT_UNREACHABLE', async () => {
    const { world } = context;
    // Port 9 (discard) on loopback: nothing listens there in a test container.
    const { http } = protectedClient(world, { tokenEndpoint: 'http://127.0.0.1:9/oauth2/token' });
    const error = await failure(http.get('/api/echo'));
    expect(error.code).toBe(McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE);
  });

  it('a refused client secret: the error names the failure, never the secret', async () => {
    const { world } = context;
    const secret = 'wrong-Secret-that-must-not-leak';
    const { http } = protectedClient(world, { secret });
    const error = await failure(http.get('/api/echo'));
    expect(error.code).toBe(McaErrorCodes.TOKEN_OAUTH_ERROR);
    expect(error.cause.oauthError?.error).toBe('invalid_client');
    const everything = [error.message, error.stack, inspect(error, { depth: 5 }), JSON.stringify(error)].join('\n');
    expect(everything).not.toContain(secret);
  });

  it('construction without any match fails at once with MCA_NO_MATCH_CONFIGURED', () => {
    expect(() => mcaInterceptor({ env: {} })).toThrow(expect.objectContaining({ code: McaErrorCodes.NO_MATCH_CONFIGURED }));
    expect(() => installMca(axios.create(), { env: {} })).toThrow(expect.objectContaining({ code: McaErrorCodes.NO_MATCH_CONFIGURED }));
  });

  it('construction with an invalid option fails at once with MCA_INVALID_OPTION', () => {
    expect(() => mcaInterceptor({ ...context.world.options(), overwriteAuthorization: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION }),
    );
  });
});
