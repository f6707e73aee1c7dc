// The servers, in a process of their own so that the client process's CPU is what a benchmark measures.
// Two authorization servers (ES256, so token requests are cheap): `rotating`, whose TTL and faults the
// benchmarks change, and `steady`, which always issues long-lived tokens (the baseline of the rotation
// benchmark). Protected APIs are started on demand, one per client, so 401s are counted per client.
// Driven over IPC by lib/servers.mjs: { id, cmd, ...args } in, { id, value } or { id, error } out.
import {
  DEFAULT_CLIENT_ID,
  startDevServer,
  startProtectedApi,
  statsKey,
} from '@mca-oauth/dev-server';
import { startMinimalApi } from './minimal-api.mjs';

const servers = {
  rotating: await startDevServer({ signingAlg: 'ES256' }),
  steady: await startDevServer({ signingAlg: 'ES256' }),
};
const apis = new Map();

const commands = {
  describe: () => Object.fromEntries(Object.entries(servers).map(([name, s]) => [name, { url: s.url, tokenEndpoint: s.tokenEndpoint }])),
  async api({ name, server }) {
    if (!apis.has(name)) apis.set(name, await startProtectedApi({ server: servers[server] }));
    return apis.get(name).url;
  },
  /** The pair design's API (lib/minimal-api.mjs), one per name. */
  async minimalApi({ name, server }) {
    if (!apis.has(name)) apis.set(name, await startMinimalApi(servers[server]));
    return apis.get(name).url;
  },
  apiStats: ({ name }) => {
    const { accepted, rejected } = apis.get(name).stats;
    // The minimal API counts through functions, the dev server's through getters.
    return typeof accepted === 'function' ? { accepted: accepted(), rejected: rejected() } : { accepted, rejected };
  },
  /** The minimal API's counts, the DPoP and exchanged ones included. */
  minimalApiCounts: ({ name }) => apis.get(name).stats.snapshot(),
  resetApiStats: () => apis.forEach((api) => api.stats.reset?.()),
  tokenRequests: ({ server }) => servers[server].stats.tokenRequests,
  tokenRequestsFor: ({ server, scope }) => {
    const key = statsKey({ clientId: DEFAULT_CLIENT_ID, scope });
    return servers[server].stats.snapshot().byKey[key]?.requests ?? 0;
  },
  resetTokenStats: ({ server }) => servers[server].stats.reset(),
  setTokenTtl: ({ server, seconds }) => servers[server].setTokenTtl(seconds),
  tokenLatency: ({ server, latencyMs }) => {
    servers[server].faults.clear();
    // Token endpoint only: the API and the discovery documents answer at once.
    if (latencyMs > 0) servers[server].faults.inject({ type: 'latency', latencyMs, target: 'oauth-token' });
  },
  cpu: () => process.cpuUsage(),
  async close() {
    await Promise.all([...apis.values()].map((api) => api.close()));
    await Promise.all(Object.values(servers).map((s) => s.close()));
    setImmediate(() => process.exit(0));
  },
};

process.on('message', async ({ id, cmd, ...args }) => {
  try {
    process.send({ id, value: await commands[cmd](args) });
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
});
// The parent died: nothing else would stop us.
process.on('disconnect', () => process.exit(0));
process.send({ id: 0, value: 'ready' });
