/**
 * What an axios caller catches when something fails, before the request (no token) or after we stamped it:
 * neither the secret nor a token may show in the AxiosError, nor in what mca-oauth logged or published meanwhile.
 * Through the default http adapter, with `installMca` (both interceptors).
 */
import axios, { type AxiosInstance } from 'axios';
import type { McaOptions } from '@mca-oauth/core';
import { installMca } from '@mca-oauth/axios';
import { closedPortUrl } from './closed-port.js';
import { useScanContext } from './scan-context.js';

const scan = useScanContext();
let closed: string;

beforeAll(async () => {
  closed = await closedPortUrl();
});

/** An instance as the README sets it up, with the observer's logger; the silent and closed servers are protected too. */
function client(extra: Partial<McaOptions> = {}): AxiosInstance {
  const { world, observer } = scan;
  const http = axios.create({ baseURL: world.api.url });
  installMca(http, world.options({ logger: observer.logger, timeoutMs: 2_000, match: [`${world.api.url}/api`, world.silent.url, closed], ...extra }));
  return http;
}

async function failure(request: Promise<unknown>): Promise<{ code?: string; response?: { status: number }; message: string }> {
  return request.then(
    () => {
      throw new Error('the request succeeded');
    },
    (error: { code?: string; response?: { status: number }; message: string }) => error,
  );
}

async function untilHeld(): Promise<void> {
  while (scan.world.auth.faults.list().length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

const SCENARIOS: ReadonlyArray<[string, () => Promise<Record<string, unknown>>]> = [
  [
    'the token endpoint answers 503',
    async () => {
      scan.world.auth.faults.inject({ type: 'status', status: 503, times: 1 });
      const error = await failure(client().get('/api/echo'));
      expect(error.code).toBe('MCA_TOKEN_OAUTH_ERROR');
      return { 'the AxiosError': error };
    },
  ],
  [
    'the token endpoint answers with CR LF in the token',
    async () => {
      scan.world.auth.faults.inject({ type: 'malformed', body: 'crlf-in-access-token', times: 1 });
      const error = await failure(client().get('/api/echo'));
      expect(error.code).toBe('MCA_TOKEN_INVALID_RESPONSE');
      expect(scan.world.api.received.forPath('/api/echo')).toHaveLength(0);
      return { 'the AxiosError': error };
    },
  ],
  [
    'the token endpoint does not answer within timeoutMs',
    async () => {
      scan.world.auth.faults.inject({ type: 'hang', times: 1 });
      const error = await failure(client({ timeoutMs: 200 }).get('/api/echo'));
      expect(error.code).toBe('MCA_TOKEN_TIMEOUT');
      return { 'the AxiosError': error };
    },
  ],
  [
    'the caller aborts while the token is fetched',
    async () => {
      scan.world.auth.faults.inject({ type: 'hang', times: 1 });
      const controller = new AbortController();
      const pending = failure(client().get('/api/echo', { signal: controller.signal }));
      await untilHeld();
      controller.abort();
      const error = await pending;
      expect(error.code).toBe('ERR_CANCELED');
      return { 'the CanceledError': error };
    },
  ],
  [
    'the caller’s timeout runs out while the token is fetched',
    async () => {
      scan.world.auth.faults.inject({ type: 'hang', times: 1 });
      const error = await failure(client().get('/api/echo', { timeout: 200 }));
      expect(error.code).toBe('ECONNABORTED');
      return { 'the AxiosError': error };
    },
  ],
  [
    'the protected API answers 400 to a stamped request',
    async () => {
      const error = await failure(client().get('/api/redirect'));
      expect(error.response?.status).toBe(400);
      return { 'the AxiosError': error };
    },
  ],
  [
    'the protected API refuses the token, and the new one after the retry',
    async () => {
      scan.world.api.rejectNext(2);
      const error = await failure(client().get('/api/echo'));
      expect(error.response?.status).toBe(401);
      expect(scan.world.api.received.forPath('/api/echo')).toHaveLength(2);
      return { 'the AxiosError': error };
    },
  ],
  [
    'a stamped request gets no answer within the caller’s timeout',
    async () => {
      const error = await failure(client().get(`${scan.world.silent.url}/orders`, { timeout: 200 }));
      expect(error.code).toBe('ECONNABORTED');
      return { 'the AxiosError': error };
    },
  ],
  [
    'a stamped request is refused by the server',
    async () => {
      const error = await failure(client().get(`${closed}/orders`));
      expect(error.code).toBe('ECONNREFUSED');
      return { 'the AxiosError': error };
    },
  ],
  [
    'a stamped request is redirected to a port nobody listens on',
    async () => {
      const error = await failure(client().get(scan.world.api.url + `/api/redirect?to=${encodeURIComponent(`${closed}/x`)}`));
      expect(error.code).toBe('ECONNREFUSED');
      return { 'the AxiosError': error };
    },
  ],
  [
    'a stamped request is redirected in a loop',
    async () => {
      const loop = `${scan.world.api.url}/api/redirect?to=${encodeURIComponent('/api/redirect?to=%2Fapi%2Fredirect%3Fto%3D.')}`;
      const error = await failure(client().get(loop, { maxRedirects: 1 }));
      expect(error.code).toBe('ERR_FR_TOO_MANY_REDIRECTS');
      return { 'the AxiosError': error };
    },
  ],
];

it.each(SCENARIOS)('%s: the caller, the logs and the diagnostics show no secret and no token', async (_name, run) => {
  const seen = await run();
  expect(scan.leaksIn(seen)).toEqual([]);
});

it.each(SCENARIOS)('%s: not even util.inspect with showHidden shows a token in what the caller caught', async (_name, run) => {
  // Inspected at once: a kept-alive socket of an old error later serves other requests, whose live
  // ClientRequest (`socket._httpMessage`) then carries their own token, which no error of ours holds.
  const seen = await run();
  expect(scan.leaksShownHiddenIn(seen)).toEqual([]);
});

it('tokens were issued during this file, so the scan looked for real ones', () => {
  expect(scan.world.tokensIssued).toBeGreaterThan(3);
});
