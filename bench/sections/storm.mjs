// Section 3, the cold storm: many requests at once with an empty cache. Each client gets a scope of
// its own (a key nobody has fetched yet), fires every request at once, and the authorization server
// counts the token requests made for that key. Ours must make exactly one per key; the peers are
// shown beside it.
import { createClient, restoreGlobalDispatcher } from '../lib/clients.mjs';
import { Latencies } from '../lib/latencies.mjs';
import { round } from '../lib/stats.mjs';

/** Ours (which must make one token request) and the peers (reported, not judged). */
export const STORM_CLIENTS = [
  { name: 'axios mcaInterceptor', ours: true },
  { name: 'got mcaHooks', ours: true },
  { name: 'undici mcaInterceptor', ours: true },
  { name: 'undici McaAgent', ours: true },
  { name: 'fetch mcaInterceptor', ours: true },
  { name: 'axios peer', ours: false },
  { name: 'fetch peer', ours: false },
];

/** Sockets per client: 10,000 at once would measure the kernel's accept queue, not token handling. */
const CONNECTIONS = 128;

async function storm(servers, api, { name, ours }, requests, runId) {
  const scope = `bench:storm:${runId}:${name.replace(/ /g, '-')}`;
  const client = createClient(name, { api, tokenEndpoint: servers.rotating.tokenEndpoint, scope, connections: CONNECTIONS });
  client.activate();
  const latencies = new Latencies();
  let failures = 0;
  let firstError;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: requests }, async () => {
        try {
          const status = await client.send();
          if (status !== 200) failures++;
        } catch (error) {
          failures++;
          firstError ??= error;
        }
        latencies.add(performance.now() - started);
      }),
    );
  } finally {
    restoreGlobalDispatcher();
    await client.close();
  }
  const tokenRequests = await servers.call('tokenRequestsFor', { server: 'rotating', scope });
  const { p50, p99, max } = latencies.summary();
  return {
    client: name,
    ours,
    requests,
    failures,
    firstError: firstError === undefined ? undefined : String(firstError),
    tokenRequests,
    // For ours: exactly one token request, and every request answered 200.
    ok: ours ? tokenRequests === 1 && failures === 0 : failures === 0,
    p50Ms: round(p50, 1),
    p99Ms: round(p99, 1),
    totalMs: round(max, 1),
  };
}

export async function runStorm(servers, { requests }, log) {
  const api = await servers.call('api', { name: 'storm', server: 'rotating' });
  const runId = Date.now().toString(36);
  const rows = [];
  for (const entry of STORM_CLIENTS) {
    log(`storm: ${entry.name}, ${requests} requests at once`);
    rows.push(await storm(servers, api, entry, requests, runId));
  }
  return { requests, connectionsPerClient: CONNECTIONS, rows };
}
