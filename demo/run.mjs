#!/usr/bin/env node
// The mca-oauth demo: a local authorization server and protected API on 127.0.0.1, called with axios,
// got, undici and global fetch. It prints which requests carried a token and which did not, a token
// refreshed ahead of expiry, and a 401 retried once; it exits non-zero if anything it shows went wrong.
import { setTimeout as sleep } from 'node:timers/promises';
import axios from 'axios';
import got from 'got';
import { Agent, request, getGlobalDispatcher, setGlobalDispatcher, interceptors } from 'undici';
import { installMca } from '@mca-oauth/axios';
import { mcaHooks } from '@mca-oauth/got';
import { mcaInterceptor } from '@mca-oauth/undici';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startDevServer, startEchoServer, startProtectedApi } from '@mca-oauth/dev-server';
import { printTable } from './table.mjs';

const auth = await startDevServer();
const api = await startProtectedApi({ server: auth });
const elsewhere = await startEchoServer();
const rows = [];
const previousDispatcher = getGlobalDispatcher();

/** Core options every client gets: only `${api.url}/api` is protected. */
const options = (cacheSize) => ({
  match: `${api.url}/api`,
  tokenEndpoint: auth.tokenEndpoint,
  clientId: DEFAULT_CLIENT_ID,
  secret: DEFAULT_CLIENT_SECRET,
  cacheSize, // a cache of its own per client, so each shows its own token requests
  env: {},
});

function bearerIn(echo) {
  const value = echo?.headers?.authorization;
  return typeof value === 'string' && value.startsWith('Bearer ') ? 'Bearer …' + value.slice(-6) : 'none';
}

function record(client, scenario, expected, observed, ok) {
  rows.push({ client, scenario, expected, observed, ok: ok ? 'yes' : 'NO' });
}

/** The four things every adapter shows, given a function that GETs a URL and resolves to { status, echo }. */
async function showAdapter(client, get) {
  const stamped = await get(`${api.url}/api/echo?demo=${client}`);
  record(client, 'GET a protected URL', 'token', `${stamped.status}, ${bearerIn(stamped.echo)}`, stamped.status === 200 && bearerIn(stamped.echo) !== 'none');

  const other = await get(`${elsewhere.url}/status?demo=${client}`);
  record(client, 'GET another origin', 'no token', `${other.status}, ${bearerIn(other.echo)}`, other.status === 200 && bearerIn(other.echo) === 'none');

  const outside = await get(`${api.url}/public/echo?demo=${client}`);
  record(client, 'GET a path outside /api', 'no token', `${outside.status}, ${bearerIn(outside.echo)}`, bearerIn(outside.echo) === 'none');

  const redirected = await get(`${api.url}/api/redirect?${new URLSearchParams({ to: `${elsewhere.url}/landing?demo=${client}` })}`);
  record(client, 'redirect out of the match', 'no token on the hop', `${redirected.status}, ${bearerIn(redirected.echo)}`, redirected.status === 200 && bearerIn(redirected.echo) === 'none');

  const before = auth.stats.tokenRequests;
  api.rejectNext(1);
  const retried = await get(`${api.url}/api/echo?demo=${client}-401`);
  const fetched = auth.stats.tokenRequests - before;
  record(client, 'API answers 401 once', 'new token, retried once', `${retried.status}, ${fetched} token request`, retried.status === 200 && fetched === 1);
}

try {
  // axios: both interceptors on an instance (the one-liner plus the 401 retry).
  // (axios's default validateStatus: a 401 is an error, which is what the retry interceptor handles.)
  const viaAxios = axios.create();
  installMca(viaAxios, options(10));
  await showAdapter('axios', async (url) => {
    const response = await viaAxios.get(url).catch((error) => error.response ?? Promise.reject(error));
    return { status: response.status, echo: response.data };
  });

  // got: one extend() call.
  const viaGot = got.extend(mcaHooks(options(10)), { throwHttpErrors: false, responseType: 'json' });
  await showAdapter('got', async (url) => {
    const response = await viaGot(url);
    return { status: response.statusCode, echo: response.body };
  });

  // undici: our interceptor inside the redirect interceptor, so every hop is judged again.
  const dispatcher = new Agent().compose(mcaInterceptor(options(10)), interceptors.redirect({ maxRedirections: 3 }));
  await showAdapter('undici', async (url) => {
    const response = await request(url, { dispatcher });
    return { status: response.statusCode, echo: await response.body.json().catch(() => undefined) };
  });

  // global fetch: the same interceptor on the global dispatcher; fetch follows redirects itself.
  setGlobalDispatcher(new Agent().compose(mcaInterceptor(options(10))));
  await showAdapter('fetch', async (url) => {
    const response = await fetch(url);
    return { status: response.status, echo: await response.json().catch(() => undefined) };
  });

  // Refresh ahead: a 4-second token (usable 3.6 s after the skew) is replaced in the background past
  // 80% of that (2.88 s), while requests keep going out with the still-valid one.
  auth.setTokenTtl(4);
  const refreshing = axios.create();
  installMca(refreshing, options(10));
  const first = bearerIn((await refreshing.get(`${api.url}/api/echo`)).data);
  const before = auth.stats.tokenRequests;
  await sleep(3_100);
  const during = bearerIn((await refreshing.get(`${api.url}/api/echo`)).data);
  await sleep(300);
  const after = bearerIn((await refreshing.get(`${api.url}/api/echo`)).data);
  const refreshes = auth.stats.tokenRequests - before;
  record('axios', 'token refreshed ahead of expiry', 'old token served, 1 refresh', `${first} → ${during} → ${after}, ${refreshes} refresh`, during === first && after !== first && refreshes === 1);
} catch (error) {
  record('demo', 'unexpected error', 'none', String(error?.code ?? error?.message ?? error), false);
} finally {
  setGlobalDispatcher(previousDispatcher);
  await Promise.all([auth.close(), api.close(), elsewhere.close()]);
}

printTable(rows);
const failures = rows.filter((row) => row.ok !== 'yes').length;
console.log(failures === 0 ? '\nEverything the demo shows worked.' : `\n${failures} row(s) did not behave as expected.`);
process.exitCode = failures === 0 ? 0 : 1;
