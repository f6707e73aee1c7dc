/**
 * The DPoP private key (RFC 9449) is a secret like the client secret: it never shows in what a caller of any adapter
 * catches, in the stamper, or in what mca-oauth logged or published, whether the request worked or not. (A success's
 * body is not scanned: the API's echo repeats the token it was sent.)
 */
import axios from 'axios';
import got from 'got';
import { Agent, interceptors, request } from 'undici';
import { createStamper, McaErrorCodes, type McaOptions } from '@mca-oauth/core';
import { installMca } from '@mca-oauth/axios';
import { mcaHooks } from '@mca-oauth/got';
import { mcaInterceptor } from '@mca-oauth/undici';
import { useScanContext } from './scan-context.js';
import { DPOP_KEY_PEM } from './secrets-world.js';

const scan = useScanContext();

function options(extra: Partial<McaOptions> = {}): McaOptions {
  return scan.world.options({ logger: scan.observer.logger, timeoutMs: 2_000, dpop: { privateKey: DPOP_KEY_PEM }, ...extra });
}

const api = (path: string): string => `${scan.world.api.url}${path}`;

beforeEach(() => {
  scan.world.api.dpop.requireNonce = true;
});

it('core: a stamper, its stamps and its configuration errors show no key', async () => {
  const stamper = createStamper(options());
  const stamp = await stamper.stampFor('GET', api('/api/echo'));
  let configurationError: unknown;
  try {
    createStamper(options({ dpop: { privateKey: DPOP_KEY_PEM, alg: 'RS256' } }));
  } catch (error) {
    configurationError = error;
  }
  expect((configurationError as { code?: string }).code).toBe(McaErrorCodes.INVALID_OPTION);
  const seen = { 'the stamper': stamper, 'the stamp': stamp, 'the configuration error': configurationError };
  expect(scan.leaksIn(seen)).toEqual([]);
  expect(scan.leaksShownHiddenIn(seen)).toEqual([]);
});

it('axios: a request through a nonce retry, and a 401 given back, show no key', async () => {
  const http = axios.create();
  installMca(http, options());
  expect((await http.get(api('/api/echo'))).status).toBe(200);
  const failed = await http.get(api('/api/unauthorized')).catch((error: unknown) => error);
  const seen = { 'the AxiosError': failed };
  expect(scan.leaksIn(seen)).toEqual([]);
  expect(scan.leaksShownHiddenIn(seen)).toEqual([]);
});

it('got: a request through a nonce retry, and a 401 given back, show no key', async () => {
  const client = got.extend(mcaHooks(options()), { retry: { limit: 0 } });
  expect((await client.get(api('/api/echo'))).statusCode).toBe(200);
  const failed = await client.get(api('/api/unauthorized')).catch((error: unknown) => error);
  const seen = { 'the HTTPError': failed };
  expect(scan.leaksIn(seen)).toEqual([]);
  expect(scan.leaksShownHiddenIn(seen)).toEqual([]);
});

it('undici: a request through a nonce retry, and a 401 given back, show no key', async () => {
  const dispatcher = new Agent().compose(mcaInterceptor(options()), interceptors.redirect({ maxRedirections: 1 }));
  try {
    const ok = await request(api('/api/echo'), { dispatcher });
    await ok.body.dump();
    expect(ok.statusCode).toBe(200);
    const failed = await request(api('/api/unauthorized'), { dispatcher });
    const failedBody = await failed.body.text();
    const seen = { 'the 401': { statusCode: failed.statusCode, headers: failed.headers, trailers: failed.trailers, body: failedBody } };
    expect(scan.leaksIn(seen)).toEqual([]);
  } finally {
    await dispatcher.close();
  }
});
