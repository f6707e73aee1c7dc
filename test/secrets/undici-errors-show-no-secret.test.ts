/**
 * What an undici caller gets when something fails, through `compose(mcaInterceptor(o), interceptors.redirect)`
 * and through Node's global fetch: neither the secret nor a token may show in the error (or the response handed
 * back), nor in what mca-oauth logged or published meanwhile.
 */
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import type { McaOptions } from '@mca-oauth/core';
import { mcaInterceptor } from '@mca-oauth/undici';
import { installGlobalDispatcher } from '../../test-support/global-dispatcher.js';
import { closedPortUrl } from './closed-port.js';
import { useScanContext } from './scan-context.js';

const scan = useScanContext();
let closed: string;

beforeAll(async () => {
  closed = await closedPortUrl();
});

function options(extra: Partial<McaOptions> = {}): McaOptions {
  const { world, observer } = scan;
  return world.options({ logger: observer.logger, timeoutMs: 2_000, match: [`${world.api.url}/api`, world.silent.url, closed], ...extra });
}

/**
 * What `request()` hands back: the error it rejects with, or what the response shows (status, headers, trailers;
 * the body is the protected API's, whose echo route repeats the headers it got). Not the response object itself:
 * kept for the end of the file, it would keep undici's request alive.
 */
async function viaUndici(url: string, extra: Partial<McaOptions> = {}, requestOptions: { signal?: AbortSignal } = {}): Promise<unknown> {
  const dispatcher: Dispatcher = new Agent().compose(mcaInterceptor(options(extra)), interceptors.redirect({ maxRedirections: 1 }));
  try {
    const response = await request(url, { dispatcher, ...requestOptions });
    await response.body.dump();
    return { statusCode: response.statusCode, headers: response.headers, trailers: response.trailers };
  } catch (error) {
    return error;
  } finally {
    await dispatcher.close();
  }
}

/** What global fetch hands back: the error it rejects with, or what the Response shows. */
async function viaFetch(url: string, extra: Partial<McaOptions> = {}, signal?: AbortSignal): Promise<unknown> {
  const dispatcher = new Agent().compose(mcaInterceptor(options(extra)));
  const restore = installGlobalDispatcher(dispatcher);
  try {
    const response = await fetch(url, { signal });
    await response.body?.cancel();
    return { status: response.status, headers: Object.fromEntries(response.headers), url: response.url };
  } catch (error) {
    return error;
  } finally {
    restore();
    await dispatcher.close();
  }
}

async function untilHeld(): Promise<void> {
  while (scan.world.auth.faults.list().length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

const codeOf = (value: unknown): unknown => (value as { code?: unknown }).code ?? (value as { cause?: { code?: unknown } }).cause?.code;
/** The error's own text and its cause's: Node's fetch keeps only the text of a cause made in Jest's realm. */
const textOf = (value: unknown): string => `${String(codeOf(value))} ${String((value as Error).message)} ${String((value as Error).cause)}`;
const statusOf = (value: unknown): unknown => (value as { statusCode?: unknown }).statusCode ?? (value as { status?: unknown }).status;
const api = (path: string): string => `${scan.world.api.url}${path}`;

type Send = (url: string, extra?: Partial<McaOptions>, signal?: AbortSignal) => Promise<unknown>;

const CLIENTS: ReadonlyArray<[string, Send]> = [
  ['undici request() through the composed Agent', (url, extra, signal) => viaUndici(url, extra, { signal })],
  ['global fetch', viaFetch],
];

describe.each(CLIENTS)('%s', (_client, send) => {
  const SCENARIOS: ReadonlyArray<[string, () => Promise<unknown>]> = [
    [
      'the token endpoint answers 503',
      async () => {
        scan.world.auth.faults.inject({ type: 'status', status: 503, times: 1 });
        const error = await send(api('/api/echo'));
        expect(textOf(error)).toMatch(/MCA_TOKEN_OAUTH_ERROR|refused with 503/);
        return error;
      },
    ],
    [
      'the token endpoint answers with CR LF in the token',
      async () => {
        scan.world.auth.faults.inject({ type: 'malformed', body: 'crlf-in-access-token', times: 1 });
        const error = await send(api('/api/echo'));
        expect(textOf(error)).toMatch(/MCA_TOKEN_INVALID_RESPONSE|characters that cannot go into a header/);
        expect(scan.world.api.received.forPath('/api/echo')).toHaveLength(0);
        return error;
      },
    ],
    [
      'the caller aborts while the token is fetched',
      async () => {
        scan.world.auth.faults.inject({ type: 'hang', times: 1 });
        const controller = new AbortController();
        const pending = send(api('/api/echo'), {}, controller.signal);
        await untilHeld();
        controller.abort();
        const error = await pending;
        expect((error as Error).name).toBe('AbortError');
        return error;
      },
    ],
    [
      'the caller’s signal times out while the token is fetched',
      async () => {
        scan.world.auth.faults.inject({ type: 'hang', times: 1 });
        const error = await send(api('/api/echo'), {}, AbortSignal.timeout(200));
        expect((error as Error).name).toBe('TimeoutError');
        return error;
      },
    ],
    [
      'the protected API answers 400 to a stamped request',
      async () => {
        const response = await send(api('/api/redirect'));
        expect(statusOf(response)).toBe(400);
        return response;
      },
    ],
    [
      'the protected API refuses the token, and the new one after the retry',
      async () => {
        scan.world.api.rejectNext(2);
        const response = await send(api('/api/echo'));
        expect(statusOf(response)).toBe(401);
        expect(scan.world.api.received.forPath('/api/echo')).toHaveLength(2);
        return response;
      },
    ],
    [
      'a stamped request gets no answer before the caller gives up',
      async () => {
        const error = await send(`${scan.world.silent.url}/orders`, {}, AbortSignal.timeout(200));
        expect((error as Error).name).toBe('TimeoutError');
        return error;
      },
    ],
    [
      'a stamped request is refused by the server',
      async () => {
        const error = await send(`${closed}/orders`);
        expect(codeOf(error)).toBe('ECONNREFUSED');
        return error;
      },
    ],
    [
      'a stamped request is redirected to a port nobody listens on',
      async () => {
        const error = await send(api(`/api/redirect?to=${encodeURIComponent(`${closed}/x`)}`));
        expect(codeOf(error)).toBe('ECONNREFUSED');
        return error;
      },
    ],
    [
      'a stamped request is redirected in a loop',
      async () => {
        const outcome = await send(api(`/api/redirect?to=${encodeURIComponent('/api/redirect?to=%2Fapi%2Fredirect%3Fto%3D.')}`));
        // undici's redirect interceptor hands back the last 3xx; fetch gives up after 20 hops.
        expect(scan.world.api.received.forPath('/api/redirect').length).toBeGreaterThan(1);
        return outcome;
      },
    ],
  ];

  it.each(SCENARIOS)('%s: the caller, the logs and the diagnostics show no secret and no token', async (_name, run) => {
    const seen = await run();
    expect(scan.leaksIn({ 'what the caller got': seen })).toEqual([]);
  });
});

it('not even util.inspect with showHidden shows a token in what the callers got', () => {
  expect(scan.leaksShownHidden()).toEqual([]);
});

it('tokens were issued during this file, so the scan looked for real ones', () => {
  expect(scan.world.tokensIssued).toBeGreaterThan(3);
});
