// Sections 1 and 2: what the adapter adds to each request on a cache hit, against the same client
// without it, and against the peers doing the same job. All variants of one client run in one
// process, alternating in short slices in mirrored order (A B C C B A, the start rotating each round)
// so that drift and noise fall on every variant alike; an A/A pair (two identical plain clients)
// shows the noise floor. Ratios are computed within each round, then summarised across rounds.
import { closedLoop } from '../lib/closed-loop.mjs';
import { createClient, fetchAuthorization, restoreGlobalDispatcher } from '../lib/clients.mjs';
import { Latencies } from '../lib/latencies.mjs';
import { ratio, round, spread } from '../lib/stats.mjs';

const CONCURRENCY = 32;
const SCOPE = 'bench:overhead';

/**
 * Each group: the variants (label → client name) and the comparisons `[x, y, target]` reported as x/y.
 * A target is what x/y should reach in requests per CPU-second and requests per second.
 */
export const GROUPS = [
  {
    client: 'axios',
    variants: { plain: 'axios plain', 'plain (A/A)': 'axios plain', mcaInterceptor: 'axios mcaInterceptor', installMca: 'axios installMca', peer: 'axios peer' },
    comparisons: [
      ['plain (A/A)', 'plain', null],
      ['mcaInterceptor', 'plain', 0.99],
      ['installMca', 'plain', 0.99],
      ['mcaInterceptor', 'peer', 1.0],
      ['installMca', 'peer', 1.0],
      ['peer', 'plain', null],
    ],
  },
  {
    client: 'got',
    variants: { plain: 'got plain', 'plain (A/A)': 'got plain', mcaHooks: 'got mcaHooks' },
    comparisons: [
      ['plain (A/A)', 'plain', null],
      ['mcaHooks', 'plain', 0.99],
    ],
  },
  {
    client: 'undici.request',
    variants: {
      plain: 'undici plain',
      'plain (A/A)': 'undici plain',
      'no-op compose': 'undici no-op compose',
      mcaInterceptor: 'undici mcaInterceptor',
      McaAgent: 'undici McaAgent',
    },
    comparisons: [
      ['plain (A/A)', 'plain', null],
      ['mcaInterceptor', 'no-op compose', 0.98],
      ['no-op compose', 'plain', null],
      ['mcaInterceptor', 'plain', null],
      ['McaAgent', 'plain', 0.99],
    ],
  },
  {
    client: 'fetch',
    variants: {
      plain: 'fetch plain',
      'plain (A/A)': 'fetch plain',
      mcaInterceptor: 'fetch mcaInterceptor',
      McaAgent: 'fetch McaAgent',
      peer: 'fetch peer',
    },
    comparisons: [
      ['plain (A/A)', 'plain', null],
      ['mcaInterceptor', 'plain', 0.99],
      ['McaAgent', 'plain', 0.99],
      ['mcaInterceptor', 'peer', 1.0],
      ['McaAgent', 'peer', 1.0],
      ['peer', 'plain', null],
    ],
  },
];

function rotate(list, by) {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/** Runs one group's variants in mirrored slices. */
async function runGroup(group, ctx, profile, servers) {
  const labels = Object.keys(group.variants);
  const variants = Object.fromEntries(
    labels.map((label) => [label, { client: createClient(group.variants[label], ctx), latencies: new Latencies(), rounds: [] }]),
  );
  const failures = [];
  const slice = async (label, durationMs, record) => {
    const variant = variants[label];
    variant.client.activate();
    // A full collection before each slice, when --expose-gc allows it, so that no slice pays for the
    // old-generation garbage of the one before (young-generation collections stay inside the slice).
    globalThis.gc?.();
    const result = await closedLoop(variant.client, {
      concurrency: CONCURRENCY,
      durationMs,
      latencies: record ? variant.latencies : undefined,
    });
    if (result.failures > 0) failures.push(`${group.client} ${label}: ${result.failures} failed (${result.firstError ?? 'non-200'})`);
    return result;
  };
  try {
    for (const label of labels) await slice(label, profile.warmupMs, false);
    const serverCpuBefore = await servers.call('cpu');
    const wallStarted = performance.now();
    for (let r = 0; r < profile.rounds; r++) {
      const order = rotate(labels, r);
      const totals = Object.fromEntries(labels.map((label) => [label, { requests: 0, elapsedMs: 0, cpuMicros: 0 }]));
      for (const label of [...order, ...[...order].reverse()]) {
        const result = await slice(label, profile.sliceMs, true);
        totals[label].requests += result.requests;
        totals[label].elapsedMs += result.elapsedMs;
        totals[label].cpuMicros += result.cpuMicros;
      }
      for (const label of labels) variants[label].rounds.push(totals[label]);
    }
    const wallMs = performance.now() - wallStarted;
    const serverCpu = await servers.call('cpu');
    const serverCpuMicros = serverCpu.user + serverCpu.system - serverCpuBefore.user - serverCpuBefore.system;
    return summarise(group, variants, failures, serverCpuMicros / 1000 / wallMs);
  } finally {
    restoreGlobalDispatcher();
    await Promise.all(Object.values(variants).map((v) => v.client.close()));
  }
}

const perSecond = (t) => (t.requests / t.elapsedMs) * 1000;
const cpuPerRequest = (t) => t.cpuMicros / t.requests;

function summarise(group, variants, failures, serverCoreShare) {
  const rows = Object.entries(variants).map(([label, v]) => {
    const latency = v.latencies.summary();
    return {
      label,
      requestsPerSecond: spread(v.rounds.map(perSecond), 0),
      cpuMicrosPerRequest: spread(v.rounds.map(cpuPerRequest), 2),
      p50Ms: round(latency.p50, 3),
      p99Ms: round(latency.p99, 3),
      requests: v.latencies.count,
    };
  });
  const comparisons = group.comparisons.map(([x, y, target]) => {
    const X = variants[x];
    const Y = variants[y];
    const perRound = (f) => X.rounds.map((tx, r) => f(tx, Y.rounds[r]));
    const perCpu = spread(perRound((tx, ty) => cpuPerRequest(ty) / cpuPerRequest(tx)));
    const throughput = spread(perRound((tx, ty) => perSecond(tx) / perSecond(ty)));
    const lx = X.latencies.summary();
    const ly = Y.latencies.summary();
    return {
      pair: `${x} / ${y}`,
      target,
      perCpuRatio: perCpu,
      throughputRatio: throughput,
      addedCpuMicrosPerRequest: spread(perRound((tx, ty) => cpuPerRequest(tx) - cpuPerRequest(ty)), 2).median,
      p50Ratio: ratio(lx.p50, ly.p50),
      p99Ratio: ratio(lx.p99, ly.p99),
      // Targets are judged in section 0 (pairs), beside each client's A/A band; this section is context.
      met: null,
    };
  });
  return { client: group.client, concurrency: CONCURRENCY, serverCoreShare: round(serverCoreShare), rows, comparisons, failures };
}

/** Runs every group; `profile` = `{ rounds, sliceMs, warmupMs }`. */
export async function runOverhead(servers, profile, log) {
  const api = await servers.call('api', { name: 'overhead', server: 'rotating' });
  const tokenEndpoint = servers.rotating.tokenEndpoint;
  const ctx = { api, tokenEndpoint, scope: SCOPE, authorization: await fetchAuthorization(tokenEndpoint, SCOPE) };
  const groups = [];
  for (const group of GROUPS) {
    log(`overhead: ${group.client} (${Object.keys(group.variants).length} variants × ${profile.rounds} rounds)`);
    groups.push(await runGroup(group, ctx, profile, servers));
  }
  return { concurrency: CONCURRENCY, ...profile, groups };
}
