// Section 1b: what each adapter adds to a request, without the network. On a shared machine the
// end-to-end ratios of section 1 carry several percent of noise; the same clients with their I/O cut
// out are measured here in one process (tinybench), where differences of a few hundred nanoseconds
// are resolvable. The difference to the plain client is the adapter's own work per request (the mean
// includes the garbage collection its allocations cause); with the plain client's end-to-end CPU per
// request (section 1) it predicts the end-to-end ratio.
//
// - axios: the whole axios pipeline (merge, interceptors, transformRequest, transformResponse) with an
//   adapter that answers at once instead of opening a socket.
// - got: the hooks we add (beforeRequest, afterResponse), called the way got calls them.
// - undici: the real dispatch path of Agent, compose() and McaAgent (DispatcherBase, WrapHandler,
//   UnwrapHandler, our handlers), with the agent's connection-pool step replaced by a stub that answers
//   synchronously through the legacy handler API, as undici 7's client does.
import axios from 'axios';
import { Bench } from 'tinybench';
import { Agent } from 'undici';
import tokenInterceptor from 'axios-token-interceptor';
import { installMca, mcaInterceptor as axiosMca } from '@mca-oauth/axios';
import { mcaHooks } from '@mca-oauth/got';
import { McaAgent, mcaInterceptor as undiciMca } from '@mca-oauth/undici';
import { fetchAuthorization, mcaOptions } from '../lib/clients.mjs';
import { median, round } from '../lib/stats.mjs';

const API = 'http://127.0.0.1:9';
const URL_STRING = `${API}/api/echo`;
const SCOPE = 'bench:isolated';

// ------------------------------------------------------------------------------------------- axios

const answerAtOnce = async (config) => ({ data: '{}', status: 200, statusText: 'OK', headers: {}, config, request: {} });

function axiosTasks(ctx) {
  const make = (setup) => {
    const instance = axios.create({ adapter: answerAtOnce });
    setup(instance);
    return () => instance.get(URL_STRING);
  };
  return {
    plain: make((i) => (i.defaults.headers.common.Authorization = ctx.authorization)),
    mcaInterceptor: make((i) => i.interceptors.request.use(axiosMca(mcaOptions(ctx)))),
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

function gotTasks(ctx) {
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

function undiciTasks(ctx) {
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

// ------------------------------------------------------------------------------------------- run

const GROUPS = [
  { client: 'axios', tasks: axiosTasks, baseline: 'plain' },
  { client: 'got', tasks: gotTasks, baseline: 'plain' },
  { client: 'undici.request', tasks: undiciTasks, baseline: 'plain' },
];

/**
 * Each task's median and mean time per call, as the median over PASSES passes with the task order
 * rotated, so that no variant always runs first (colder) or last. The mean includes the garbage
 * collection a variant's allocations cause; the median mostly does not.
 */
const PASSES = 3;
async function measure(tasks, timeMs) {
  // Every task must work before it is timed (a throw would be timed as a fast no-op otherwise).
  for (const fn of Object.values(tasks)) await fn();
  const labels = Object.keys(tasks);
  const samples = Object.fromEntries(labels.map((label) => [label, { p50: [], mean: [], rme: [] }]));
  for (let pass = 0; pass < PASSES; pass++) {
    const bench = new Bench({ time: timeMs / PASSES, warmup: true });
    const first = pass % labels.length;
    for (const label of [...labels.slice(first), ...labels.slice(0, first)]) bench.add(label, tasks[label]);
    await bench.run();
    for (const task of bench.tasks) {
      samples[task.name].p50.push(task.result.latency.p50 * 1e6);
      samples[task.name].mean.push(task.result.latency.mean * 1e6);
      samples[task.name].rme.push(task.result.latency.rme);
    }
  }
  return Object.fromEntries(
    labels.map((label) => [label, { ns: median(samples[label].p50), mean: median(samples[label].mean), rme: median(samples[label].rme) }]),
  );
}

export async function runIsolated(servers, { timeMs }, log) {
  const ctx = { api: API, tokenEndpoint: servers.rotating.tokenEndpoint, scope: SCOPE };
  ctx.authorization = await fetchAuthorization(ctx.tokenEndpoint, SCOPE);
  const groups = [];
  for (const group of GROUPS) {
    log(`isolated: ${group.client}, ${timeMs} ms per variant`);
    const tasks = group.tasks(ctx);
    // Fill our cache (one token request) so that every timed call is a hit.
    await tasks[Object.keys(tasks).find((label) => label !== 'plain')]();
    const results = await measure(tasks, timeMs);
    const base = results[group.baseline];
    groups.push({
      client: group.client,
      rows: Object.entries(results).map(([label, { ns, mean, rme }]) => ({
        label,
        nsPerRequest: round(ns, 0),
        meanNsPerRequest: round(mean, 0),
        relativeMarginOfErrorPct: round(rme, 1),
        addedNs: label === group.baseline ? null : round(ns - base.ns, 0),
        addedMeanNs: label === group.baseline ? null : round(mean - base.mean, 0),
      })),
    });
  }
  return { groups };
}
