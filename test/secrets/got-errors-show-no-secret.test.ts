/**
 * What a got caller catches when something fails, before the request (no token) or after we stamped it:
 * neither the secret nor a token may show in the RequestError (which carries the request's options), nor in what
 * mca-oauth logged or published meanwhile.
 */
import got, { type Got } from 'got';
import type { McaOptions } from '@mca-oauth/core';
import { mcaHooks } from '@mca-oauth/got';
import { closedPortUrl } from './closed-port.js';
import { useScanContext } from './scan-context.js';

const scan = useScanContext();
let closed: string;

beforeAll(async () => {
  closed = await closedPortUrl();
});

function client(extra: Partial<McaOptions> = {}): Got {
  const { world, observer } = scan;
  const options = world.options({ logger: observer.logger, timeoutMs: 2_000, match: [`${world.api.url}/api`, world.silent.url, closed], ...extra });
  return got.extend(mcaHooks(options), { retry: { limit: 0 } });
}

type GotFailure = { code?: string; name: string; response?: { statusCode: number } };

async function failure(request: Promise<unknown>): Promise<GotFailure> {
  return request.then(
    () => {
      throw new Error('the request succeeded');
    },
    (error: GotFailure) => error,
  );
}

async function untilHeld(): Promise<void> {
  while (scan.world.auth.faults.list().length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

const api = (path: string): string => `${scan.world.api.url}${path}`;

const SCENARIOS: ReadonlyArray<[string, () => Promise<Record<string, unknown>>]> = [
  [
    'the token endpoint answers 503',
    async () => {
      scan.world.auth.faults.inject({ type: 'status', status: 503, times: 1 });
      const error = await failure(client().get(api('/api/echo')));
      expect(error.code).toBe('MCA_TOKEN_OAUTH_ERROR');
      return { 'the RequestError': error };
    },
  ],
  [
    'the token endpoint answers with CR LF in the token',
    async () => {
      scan.world.auth.faults.inject({ type: 'malformed', body: 'crlf-in-access-token', times: 1 });
      const error = await failure(client().get(api('/api/echo')));
      expect(error.code).toBe('MCA_TOKEN_INVALID_RESPONSE');
      expect(scan.world.api.received.forPath('/api/echo')).toHaveLength(0);
      return { 'the RequestError': error };
    },
  ],
  [
    'the token endpoint does not answer within timeoutMs',
    async () => {
      scan.world.auth.faults.inject({ type: 'hang', times: 1 });
      const error = await failure(client({ timeoutMs: 200 }).get(api('/api/echo')));
      expect(error.code).toBe('MCA_TOKEN_TIMEOUT');
      return { 'the RequestError': error };
    },
  ],
  [
    'the caller aborts while the token is fetched',
    async () => {
      scan.world.auth.faults.inject({ type: 'hang', times: 1 });
      const controller = new AbortController();
      const pending = failure(client().get(api('/api/echo'), { signal: controller.signal }));
      await untilHeld();
      controller.abort();
      const error = await pending;
      expect(error.code).toBe('ERR_ABORTED');
      return { 'the AbortError': error };
    },
  ],
  [
    'the caller’s signal times out while the token is fetched',
    async () => {
      scan.world.auth.faults.inject({ type: 'hang', times: 1 });
      const error = await failure(client().get(api('/api/echo'), { signal: AbortSignal.timeout(200) }));
      expect(error.name).toBe('TimeoutError');
      return { 'the TimeoutError': error };
    },
  ],
  [
    'the protected API answers 400 to a stamped request',
    async () => {
      const error = await failure(client().get(api('/api/redirect')));
      expect(error.response?.statusCode).toBe(400);
      return { 'the HTTPError': error };
    },
  ],
  [
    'the protected API refuses the token, and the new one after the retry',
    async () => {
      scan.world.api.rejectNext(2);
      const error = await failure(client().get(api('/api/echo')));
      expect(error.response?.statusCode).toBe(401);
      expect(scan.world.api.received.forPath('/api/echo')).toHaveLength(2);
      return { 'the HTTPError': error };
    },
  ],
  [
    'a stamped request gets no answer within the caller’s timeout',
    async () => {
      const error = await failure(client().get(`${scan.world.silent.url}/orders`, { timeout: { request: 200 } }));
      expect(error.code).toBe('ETIMEDOUT');
      return { 'the TimeoutError': error };
    },
  ],
  [
    'a stamped request is refused by the server',
    async () => {
      const error = await failure(client().get(`${closed}/orders`));
      expect(error.code).toBe('ECONNREFUSED');
      return { 'the RequestError': error };
    },
  ],
  [
    'a stamped request is redirected to a port nobody listens on',
    async () => {
      const error = await failure(client().get(api(`/api/redirect?to=${encodeURIComponent(`${closed}/x`)}`)));
      expect(error.code).toBe('ECONNREFUSED');
      return { 'the RequestError': error };
    },
  ],
  [
    'a stamped request is redirected in a loop',
    async () => {
      const error = await failure(client().get(api(`/api/redirect?to=${encodeURIComponent('/api/redirect?to=%2Fapi%2Fredirect%3Fto%3D.')}`), { maxRedirects: 1 }));
      expect(error.code).toBe('ERR_TOO_MANY_REDIRECTS');
      return { 'the MaxRedirectsError': error };
    },
  ],
];

it.each(SCENARIOS)('%s: the caller, the logs and the diagnostics show no secret and no token', async (_name, run) => {
  const seen = await run();
  expect(scan.leaksIn(seen)).toEqual([]);
});

it('not even util.inspect with showHidden shows a token in what the callers caught', () => {
  expect(scan.leaksShownHidden()).toEqual([]);
});

it('tokens were issued during this file, so the scan looked for real ones', () => {
  expect(scan.world.tokensIssued).toBeGreaterThan(3);
});
