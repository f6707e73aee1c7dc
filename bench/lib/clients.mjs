// Every client the benchmarks drive, built the way a user would build it. Each factory returns
// `{ send(), activate(), close() }`: `send` makes one GET, reads and parses the whole JSON body, as an
// app would, and resolves with the status; `activate` runs before a slice (fetch installs its global dispatcher there).
//
// "plain" variants carry a token fetched once and set by hand (`Authorization` on every request), so
// that plain and adapter requests hit the same route of the API with the same bytes and get the same
// answer: the difference is only what the adapter does on the client.
import http from 'node:http';
import axios from 'axios';
import got from 'got';
import { Agent, getGlobalDispatcher, request, setGlobalDispatcher } from 'undici';
import tokenInterceptor from 'axios-token-interceptor';
import { clientCredentials } from 'axios-oauth-client';
import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client';
import { createStamper } from '@mca-oauth/core';
import { installMca, mcaInterceptor as axiosMca, onBehalfOf } from '@mca-oauth/axios';
import { mcaHooks } from '@mca-oauth/got';
import { McaAgent, mcaInterceptor as undiciMca } from '@mca-oauth/undici';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@mca-oauth/dev-server';

/**
 * What a client needs: `api` (the protected API's base URL), `tokenEndpoint`, `scope` (a distinct scope
 * is a distinct cache key and token), `authorization` (plain variants only), `connections` (a bound
 * on sockets, for the storm; default: the library's own), `path` (default `/api/echo`), `dpop` (the `dpop` option,
 * for the `+dpop` variants only), `exchange` (true: the `+exchange` variants' route, RFC 8693).
 */
export function mcaOptions({ api, tokenEndpoint, scope, dpop, exchange }) {
  const credentials = { tokenEndpoint, clientId: DEFAULT_CLIENT_ID, secret: DEFAULT_CLIENT_SECRET, scope };
  // The `+exchange` variants: one route whose token is exchanged for the subject of the call.
  const options = exchange ? { ...credentials, routes: [{ match: `${api}/api/`, exchange: {} }] } : { ...credentials, match: `${api}/api/` };
  // `dpop`: the `+dpop` variants (RFC 9449 sender-constrained tokens); absent everywhere else.
  return dpop === undefined ? options : { ...options, dpop };
}

/**
 * One token for the plain variants' hand-set header, fetched by core exactly as the adapters fetch theirs
 * (same grant, same parameters), so plain and adapter requests carry tokens of the same length.
 */
export async function fetchAuthorization(tokenEndpoint, scope) {
  const stamper = createStamper({ ...mcaOptions({ api: 'http://127.0.0.1:9', tokenEndpoint, scope }), cacheSize: 1 });
  return stamper.authorizationFor('http://127.0.0.1:9/api/token-for-plain-variants');
}

/** Node's own global dispatcher, from before any benchmark replaced it. */
const ORIGINAL_GLOBAL_DISPATCHER = getGlobalDispatcher();

/** Puts Node's global dispatcher back (fetch clients install theirs, then close it). */
export function restoreGlobalDispatcher() {
  setGlobalDispatcher(ORIGINAL_GLOBAL_DISPATCHER);
}

const echoUrl = (ctx) => `${ctx.api}${ctx.path ?? '/api/echo'}`;
const nodeAgent = (ctx) => new http.Agent({ keepAlive: true, ...(ctx.connections && { maxSockets: ctx.connections }) });
const undiciAgentOptions = (ctx) => (ctx.connections ? { connections: ctx.connections } : {});
const noop = () => {};

// ---------------------------------------------------------------------------------------------- axios

function axiosClient(ctx, setup) {
  const agent = nodeAgent(ctx);
  const instance = axios.create({ httpAgent: agent, validateStatus: () => true });
  setup(instance);
  const url = echoUrl(ctx);
  return {
    send: async () => (await instance.get(url)).status,
    activate: noop,
    close: async () => agent.destroy(),
  };
}

/** The peer: axios-oauth-client fetches, axios-token-interceptor caches (its README's recipe). */
function axiosPeerSetup(ctx) {
  const getToken = clientCredentials(axios.create(), ctx.tokenEndpoint, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
  const cache = tokenInterceptor.tokenCache(() => getToken(ctx.scope), { getMaxAge: (body) => body.expires_in * 1000 });
  return (instance) =>
    instance.interceptors.request.use(tokenInterceptor({ getToken: cache, headerFormatter: (body) => `Bearer ${body.access_token}` }));
}

// ------------------------------------------------------------------------------------------------ got

function gotClient(ctx, extension) {
  const agent = nodeAgent(ctx);
  const client = got.extend({ agent: { http: agent }, throwHttpErrors: false, retry: { limit: 0 }, responseType: 'json' }, extension);
  const url = echoUrl(ctx);
  return {
    send: async () => (await client(url)).statusCode,
    activate: noop,
    close: async () => agent.destroy(),
  };
}

// --------------------------------------------------------------------------------- undici.request

function undiciClient(ctx, dispatcher, headers) {
  const url = echoUrl(ctx);
  const options = { dispatcher, headers };
  return {
    async send() {
      const response = await request(url, options);
      await response.body.json();
      return response.statusCode;
    },
    activate: noop,
    close: () => dispatcher.close(),
  };
}

/** A composed interceptor that does nothing: what compose() itself costs. */
const passThrough = (dispatch) => (opts, handler) => dispatch(opts, handler);

// ------------------------------------------------------------------------------------------- fetch

/**
 * Global fetch through `dispatcher`: installed as the global dispatcher before each slice (the
 * documented one-liner), or, with `explicit`, passed per request (when several fetch clients run
 * at once, as in the rotation benchmark).
 */
function fetchClient(ctx, dispatcher, init = {}, explicit = false) {
  const url = echoUrl(ctx);
  const requestInit = explicit ? { ...init, dispatcher } : init;
  return {
    async send() {
      const response = await fetch(url, requestInit);
      await response.json();
      return response.status;
    },
    activate: () => (explicit ? undefined : setGlobalDispatcher(dispatcher)),
    close: () => dispatcher.close(),
  };
}

/** The peer: @badgateway/oauth2-client's OAuth2Fetch, client credentials, on global fetch. */
function oauth2FetchClient(ctx, dispatcher) {
  const client = new OAuth2Client({
    server: new URL(ctx.tokenEndpoint).origin,
    tokenEndpoint: ctx.tokenEndpoint,
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
  });
  const wrapper = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials({ scope: [ctx.scope] }) });
  const url = echoUrl(ctx);
  return {
    async send() {
      const response = await wrapper.fetch(url);
      await response.json();
      return response.status;
    },
    activate: () => setGlobalDispatcher(dispatcher),
    close: () => dispatcher.close(),
  };
}

// ------------------------------------------------------------------------------------------ registry

/** An axios request interceptor that sets a token it already holds, and nothing else. */
const setAuthorizationInterceptor = (authorization) => (config) => {
  config.headers.Authorization = authorization;
  return config;
};

/** A got `beforeRequest` hook that sets a token it already holds (it returns nothing: a value would be taken as the response). */
const setAuthorizationHook = (authorization) => (options) => {
  options.headers.authorization = authorization;
};

/** Every client by name. `plain*` need `ctx.authorization`. */
export const CLIENTS = {
  'axios plain': (ctx) => axiosClient(ctx, (i) => (i.defaults.headers.common.Authorization = ctx.authorization)),
  // As its README says to register it: synchronous, so axios skips its promise chain.
  'axios mcaInterceptor': (ctx) => axiosClient(ctx, (i) => i.interceptors.request.use(axiosMca(mcaOptions(ctx)), undefined, { synchronous: true })),
  'axios installMca': (ctx) => axiosClient(ctx, (i) => installMca(i, mcaOptions(ctx))),
  'axios peer': (ctx) => axiosClient(ctx, axiosPeerSetup(ctx)),
  // The least a request interceptor can do, for context: synchronous, it sets a token it already holds, no
  // lookup, no guard, no retry. What it costs over plain is axios's own price for having an interceptor.
  'axios floor interceptor': (ctx) =>
    axiosClient(ctx, (i) => i.interceptors.request.use(setAuthorizationInterceptor(ctx.authorization), undefined, { synchronous: true })),

  'got plain': (ctx) => gotClient(ctx, { headers: { authorization: ctx.authorization } }),
  'got mcaHooks': (ctx) => gotClient(ctx, mcaHooks(mcaOptions(ctx))),
  // The least a hook can do, for context: got's own price for running a `beforeRequest` hook.
  'got floor hook': (ctx) => gotClient(ctx, { hooks: { beforeRequest: [setAuthorizationHook(ctx.authorization)] } }),

  'undici plain': (ctx) => undiciClient(ctx, new Agent(undiciAgentOptions(ctx)), { authorization: ctx.authorization }),
  'undici no-op compose': (ctx) =>
    undiciClient(ctx, new Agent(undiciAgentOptions(ctx)).compose(passThrough), { authorization: ctx.authorization }),
  'undici mcaInterceptor': (ctx) => undiciClient(ctx, new Agent(undiciAgentOptions(ctx)).compose(undiciMca(mcaOptions(ctx)))),
  'undici McaAgent': (ctx) => undiciClient(ctx, new McaAgent({ ...undiciAgentOptions(ctx), mca: mcaOptions(ctx) })),

  'fetch plain': (ctx) => fetchClient(ctx, new Agent(undiciAgentOptions(ctx)), { headers: { authorization: ctx.authorization } }),
  'fetch mcaInterceptor': (ctx) => fetchClient(ctx, new Agent(undiciAgentOptions(ctx)).compose(undiciMca(mcaOptions(ctx))), {}, ctx.explicit),
  'fetch McaAgent': (ctx) => fetchClient(ctx, new McaAgent({ ...undiciAgentOptions(ctx), mca: mcaOptions(ctx) }), {}, ctx.explicit),
  'fetch peer': (ctx) => oauth2FetchClient(ctx, new Agent(undiciAgentOptions(ctx))),
};

/**
 * Each request made inside `onBehalfOf(subject, …)`, as an app whose handler makes one outbound call per incoming
 * request: the call's cost (the subject's digest included) is part of every request.
 */
function onBehalfOfEachRequest(client, subject) {
  const send = client.send;
  return { ...client, send: () => onBehalfOf(subject, send) };
}

// The same clients with the `dpop` option (RFC 9449), a key made in memory.
for (const name of ['axios mcaInterceptor', 'got mcaHooks', 'undici mcaInterceptor', 'fetch mcaInterceptor']) {
  CLIENTS[`${name} +dpop`] = (ctx) => CLIENTS[name]({ ...ctx, dpop: true });
}
// With a token exchanged for the user of the call (RFC 8693). The subject is a token of the same server: its
// client-credentials token has the audience the dev server lets exchange by default.
for (const name of ['axios mcaInterceptor', 'undici mcaInterceptor']) {
  CLIENTS[`${name} +exchange`] = (ctx) => onBehalfOfEachRequest(CLIENTS[name]({ ...ctx, exchange: true }), ctx.authorization.slice('Bearer '.length));
}

/** Builds a client; an unknown name is a programming error. */
export function createClient(name, ctx) {
  const factory = CLIENTS[name];
  if (factory === undefined) throw new Error(`unknown client ${name}`);
  return factory(ctx);
}
