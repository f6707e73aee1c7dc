#!/usr/bin/env node
// One client, end to end, in a closed loop against the pair design's minimal API, for a CPU profile or a
// GC trace of the whole request (the adapter's cost is mostly in what it makes the client do downstream):
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-client.mjs "axios mcaInterceptor" 7000
//   node --trace-gc bench/profile-client.mjs "axios plain" 3000
//
// Prints client CPU µs per request. The server process is forked without the profiling flags.
import { closedLoop } from './lib/closed-loop.mjs';
import { createClient, fetchAuthorization, restoreGlobalDispatcher } from './lib/clients.mjs';
import { startServers } from './lib/servers.mjs';

const [name, durationArg = '5000'] = process.argv.slice(2);
if (name === undefined) throw new Error('usage: profile-client.mjs "<client name from lib/clients.mjs>" [durationMs]');
const execArgv = process.execArgv;
process.execArgv = [];
const servers = await startServers();
process.execArgv = execArgv;
try {
  const api = await servers.call('minimalApi', { name: 'profile', server: 'rotating' });
  const tokenEndpoint = servers.rotating.tokenEndpoint;
  const scope = 'bench:profile';
  const ctx = { api, path: '/api/orders/42', tokenEndpoint, scope, authorization: await fetchAuthorization(tokenEndpoint, scope) };
  const client = createClient(name, ctx);
  client.activate();
  await closedLoop(client, { concurrency: 32, durationMs: 1000 });
  const result = await closedLoop(client, { concurrency: 32, durationMs: Number(durationArg) });
  console.log(`${name}: ${result.requests} requests, ${result.failures} failed, ${(result.cpuMicros / result.requests).toFixed(1)} µs CPU per request`);
  restoreGlobalDispatcher();
  await client.close();
} finally {
  await servers.close();
}
