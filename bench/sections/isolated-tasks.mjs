// The clients of section 1b with their I/O cut out, one factory per client: `tasks(ctx)` gives every
// variant's one-request function, `ctx` = `{ api, tokenEndpoint, scope, authorization }`.
//
// - axios: the whole axios pipeline (merge, interceptors, transformRequest, transformResponse) with an
//   adapter that answers at once instead of opening a socket.
// - got: the hooks we add (beforeRequest, afterResponse), called the way got calls them.
// - undici: the real dispatch path of Agent, compose() and McaAgent (DispatcherBase, WrapHandler,
//   UnwrapHandler, our handlers), with the agent's connection-pool step replaced by a stub that answers
//   synchronously through the legacy handler API, as undici 7's client does.
import axios from 'axios';
import { Agent } from 'undici';
import tokenInterceptor from 'axios-token-interceptor';
import { installMca, mcaInterceptor as axiosMca } from '@mca-oauth/axios';
import { mcaHooks } from '@mca-oauth/got';
import { McaAgent, mcaInterceptor as undiciMca, onBehalfOf } from '@mca-oauth/undici';
import { mcaOptions } from '../lib/clients.mjs';

export const API = 'http://127.0.0.1:9';
const URL_STRING = `${API}/api/echo`;
export const SCOPE = 'bench:isolated';

// ------------------------------------------------------------------------------------------- axios

const answerAtOnce = async (config) => ({ data: '{}', status: 200, statusText: 'OK', headers: {}, config, request: {} });

export function axiosTasks(ctx) {
  const make = (setup) => {
    const instance = axios.create({ adapter: answerAtOnce });
    setup(instance);
    return () => instance.get(URL_STRING);
  };
  return {
    plain: make((i) => (i.defaults.headers.common.Authorization = ctx.authorization)),
    mcaInterceptor: make((i) => i.interceptors.request.use(axiosMca(mcaOptions(ctx)), undefined, { synchronous: true })),
    installMca: make((i) => installMca(i, mcaOptions(ctx))),
    // The peer's cache, already holding a token: what it does per request on a hit.
    peer: make((i) => {
      const body = { access_token: ctx.authorization.slice('Bearer '.length), expires_in: 3600 };
      const cache = tokenInterceptor.tokenCache(async () => body, { getMaxAge: (b) => b.expires_in * 1000 });
      i.interceptors.request.use(tokenInterceptor({ getToken: cache, headerFormatter: (b) => `Bearer ${b.access_token}` }));
    }),
  };
}

// --------------------------------------------------------------------------------------------- got

export function gotTasks(ctx) {
  const { hooks } = mcaHooks(mcaOptions(ctx));
  const url = new URL(URL_STRING);
  // What the hooks read of got's per-request Options: the parsed URL (got keeps a URL object), the
  // headers, the signal, and a fresh shallow copy of `context`. Built in both tasks, so it cancels out.
  const requestOptions = () => ({ url, headers: { 'user-agent': 'got' }, context: {}, signal: undefined, body: undefined });
  const retry = () => {
    throw new Error('no retry expected');
  };
  return {
    plain: () => requestOptions(),
    mcaHooks: () => {
      const options = requestOptions();
      hooks.beforeRequest[0](options);
      return hooks.afterResponse[0]({ statusCode: 200, request: { options }, headers: {} }, retry);
    },
  };
}

// ------------------------------------------------------------------------------------------ undici

/** undici's own symbol for an Agent's pool step (lib/core/symbols.js), found by its description. */
const kDispatch = Object.getOwnPropertySymbols(Agent.prototype).find((s) => s.description === 'dispatch');
const RAW_HEADERS = ['content-type', 'application/json', 'content-length', '2', 'date', new Date().toUTCString(), 'keep-alive', 'timeout=5'].map(
  (s) => Buffer.from(s),
);
const BODY = Buffer.from('{}');

/** Answers through the legacy handler API, synchronously, as the pool would after the socket. */
function answerLegacy(handler) {
  handler.onConnect?.(() => {});
  handler.onHeaders(200, RAW_HEADERS, () => {}, 'OK');
  handler.onData(BODY);
  handler.onComplete([]);
  return true;
}
const StubAgent = class extends Agent {
  [kDispatch](_opts, handler) {
    return answerLegacy(handler);
  }
};
const StubMcaAgent = class extends McaAgent {
  [kDispatch](_opts, handler) {
    return answerLegacy(handler);
  }
};

/** A legacy handler like the one undici.request and Node's fetch pass. */
function leafHandler() {
  return {
    onConnect() {},
    onHeaders() {
      return true;
    },
    onData() {
      return true;
    },
    onComplete() {},
    onError(error) {
      throw error;
    },
  };
}

export function undiciTasks(ctx) {
  const passThrough = (dispatch) => (opts, handler) => dispatch(opts, handler);
  const withHeader = { origin: API, path: '/api/echo', method: 'GET', headers: { authorization: ctx.authorization } };
  const without = { origin: API, path: '/api/echo', method: 'GET', headers: {} };
  const dispatchers = {
    plain: [new StubAgent(), withHeader],
    'no-op compose': [new StubAgent().compose(passThrough), withHeader],
    mcaInterceptor: [new StubAgent().compose(undiciMca(mcaOptions(ctx))), without],
    McaAgent: [new StubMcaAgent({ mca: mcaOptions(ctx) }), without],
  };
  return Object.fromEntries(
    Object.entries(dispatchers).map(([label, [dispatcher, opts]]) => [label, () => dispatcher.dispatch(opts, leafHandler())]),
  );
}

// ---------------------------------------------------------------------------------- token exchange

/**
 * A cache hit of an exchanged token against one of a client-credentials token (issue #16: at most 2 µs more),
 * on undici's real dispatch path as `mcaInterceptor` above. The subject is a token of the same dev server (its
 * client-credentials token has the audience the server lets exchange by default). A task with `subject` is run,
 * timing included, inside `onBehalfOf(subject, …)` by isolated-child.mjs: the cost per request of an app whose
 * middleware called onBehalfOf once for the incoming request. `onBehalfOf per request` adds that call (and the
 * subject's digest it makes the first request compute) to every request: the cost for one outbound call per
 * incoming request.
 */
export function exchangeTasks(ctx) {
  const without = { origin: API, path: '/api/echo', method: 'GET', headers: {} };
  const exchangeOptions = mcaOptions({ ...ctx, exchange: true });
  const clientCredentials = new StubAgent().compose(undiciMca(mcaOptions(ctx)));
  const exchange = new StubAgent().compose(undiciMca(exchangeOptions));
  const subject = ctx.authorization.slice('Bearer '.length);
  const inContext = () => exchange.dispatch(without, leafHandler());
  return {
    'client credentials': () => clientCredentials.dispatch(without, leafHandler()),
    'exchange, in onBehalfOf': Object.assign(inContext, { subject }),
    'onBehalfOf per request': () => onBehalfOf(subject, inContext),
  };
}

/** The groups of section 1b, each timed against its baseline. */
export const GROUPS = [
  { client: 'axios', tasks: axiosTasks, labels: ['plain', 'mcaInterceptor', 'installMca', 'peer'], baseline: 'plain' },
  { client: 'got', tasks: gotTasks, labels: ['plain', 'mcaHooks'], baseline: 'plain' },
  { client: 'undici.request', tasks: undiciTasks, labels: ['plain', 'no-op compose', 'mcaInterceptor', 'McaAgent'], baseline: 'plain' },
  {
    client: 'token exchange (undici mcaInterceptor)',
    tasks: exchangeTasks,
    labels: ['client credentials', 'exchange, in onBehalfOf', 'onBehalfOf per request'],
    baseline: 'client credentials',
  },
];
