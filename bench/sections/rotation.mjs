// Section 4, rotation under load: tokens living 2 s, steady load, the token endpoint answering at once
// or after 50 ms. Every client runs twice in the same window, side by side: against the `rotating`
// server (2-second tokens) and against the `steady` one (long-lived tokens, the baseline), each lane
// with a protected API of its own so that 401s are counted per lane where they arrive. The p99 ratio
// is rotating / steady for the same client in the same window, so machine noise falls on both.
// Each setting runs `repeats` windows and pools their latencies: an open loop's 20 s hold about 1,300
// requests per lane, so its p99.9 alone would be the second-largest sample.
import { closedLoop } from '../lib/closed-loop.mjs';
import { createClient, restoreGlobalDispatcher } from '../lib/clients.mjs';
import { Latencies } from '../lib/latencies.mjs';
import { openLoop } from '../lib/open-loop.mjs';
import { ratio, round } from '../lib/stats.mjs';

export const ROTATION_CLIENTS = [
  { name: 'axios mcaInterceptor', ours: true },
  { name: 'got mcaHooks', ours: true },
  { name: 'undici McaAgent', ours: true },
  { name: 'fetch mcaInterceptor', ours: true },
  { name: 'axios peer', ours: false },
  { name: 'fetch peer', ours: false },
];
const TOKEN_TTL_SECONDS = 2;
/** Closed loop: in-flight requests per lane. */
const CONCURRENCY_PER_LANE = 4;

const slug = (text) => text.replace(/[^a-zA-Z0-9]+/g, '-');

async function buildLanes(servers, windowId) {
  const lanes = [];
  for (const entry of ROTATION_CLIENTS) {
    for (const server of ['rotating', 'steady']) {
      const apiName = `rotation-${slug(entry.name)}-${server}`;
      const api = await servers.call('api', { name: apiName, server });
      const scope = `bench:rotation:${windowId}:${slug(entry.name)}`;
      // `explicit`: two fetch clients run at once, so ours is given its dispatcher per request.
      const client = createClient(entry.name, { api, tokenEndpoint: servers[server].tokenEndpoint, scope, explicit: true });
      lanes.push({ ...entry, server, apiName, scope, client, latencies: new Latencies() });
    }
  }
  return lanes;
}

async function runWindow(servers, { loop, tokenLatencyMs }, profile, windowId, ratePerLane) {
  await servers.call('setTokenTtl', { server: 'rotating', seconds: TOKEN_TTL_SECONDS });
  await servers.call('tokenLatency', { server: 'rotating', latencyMs: tokenLatencyMs });
  const lanes = await buildLanes(servers, windowId);
  try {
    // The first token of every lane, and warm code paths, before the clock starts.
    for (const lane of lanes) lane.client.activate();
    await Promise.all(lanes.map((lane) => lane.client.send()));
    await servers.call('resetApiStats');
    for (const lane of lanes) lane.tokensBefore = await servers.call('tokenRequestsFor', { server: lane.server, scope: lane.scope });

    let outcomes;
    if (loop === 'closed') {
      outcomes = await Promise.all(
        lanes.map((lane) =>
          closedLoop(lane.client, { concurrency: CONCURRENCY_PER_LANE, durationMs: profile.durationMs, latencies: lane.latencies }),
        ),
      );
    } else {
      outcomes = await openLoop(lanes, { ratePerSecond: ratePerLane, durationMs: profile.durationMs });
    }

    const rows = [];
    for (const [index, lane] of lanes.entries()) {
      const { rejected } = await servers.call('apiStats', { name: lane.apiName });
      const tokens = await servers.call('tokenRequestsFor', { server: lane.server, scope: lane.scope });
      const outcome = outcomes[index];
      rows.push({
        client: lane.name,
        ours: lane.ours,
        server: lane.server,
        requests: outcome.requests,
        nonOk: outcome.failures,
        errors: outcome.firstError === undefined ? undefined : String(outcome.firstError),
        unauthorizedAtApi: rejected,
        tokenRequests: tokens - lane.tokensBefore,
        latencies: lane.latencies,
      });
    }
    return { loop, tokenLatencyMs, ...(loop === 'open' && { ratePerLane }), rows };
  } finally {
    restoreGlobalDispatcher();
    await servers.call('tokenLatency', { server: 'rotating', latencyMs: 0 });
    await Promise.all(lanes.map((lane) => lane.client.close()));
  }
}

/** One window from several of the same setting: counts summed, token requests kept per window, latencies pooled. */
function pool(repeats) {
  const rows = repeats[0].rows.map((first, index) => {
    const same = repeats.map((window) => window.rows[index]);
    const latencies = new Latencies();
    for (const row of same) latencies.addAll(row.latencies);
    const sum = (field) => same.reduce((total, row) => total + row[field], 0);
    return {
      client: first.client,
      ours: first.ours,
      server: first.server,
      requests: sum('requests'),
      nonOk: sum('nonOk'),
      errors: same.find((row) => row.errors !== undefined)?.errors,
      unauthorizedAtApi: sum('unauthorizedAtApi'),
      tokenRequestsPerWindow: same.map((row) => row.tokenRequests),
      latency: latencies.summary(),
    };
  });
  return { ...repeats[0], windows: repeats.length, rows };
}

/** Pairs each client's rotating lane with its steady lane. */
function compare(window, durationMs) {
  return ROTATION_CLIENTS.map(({ name, ours }) => {
    const rotating = window.rows.find((r) => r.client === name && r.server === 'rotating');
    const steady = window.rows.find((r) => r.client === name && r.server === 'steady');
    return {
      client: name,
      ours,
      loop: window.loop,
      tokenLatencyMs: window.tokenLatencyMs,
      requests: rotating.requests,
      unauthorizedAtApi: rotating.unauthorizedAtApi,
      /** Per window of `durationMs`. */
      tokenRequests: rotating.tokenRequestsPerWindow,
      expectedTokenRequests: durationMs / 1000 / TOKEN_TTL_SECONDS,
      p99Ms: round(rotating.latency.p99, 2),
      p99SteadyMs: round(steady.latency.p99, 2),
      p99Ratio: ratio(rotating.latency.p99, steady.latency.p99, 2),
      p999Ratio: ratio(rotating.latency.p999, steady.latency.p999, 2),
      maxMs: round(rotating.latency.max, 1),
      // Targets apply to ours: no 401 at the API, p99 ≤ 1.1 and p99.9 ≤ 1.2 of the long-lived token's.
      errors: rotating.errors ?? steady.errors,
    };
  });
}

/**
 * The open loop's rate per lane: `openLoopShare` of what all lanes together managed in the first closed
 * loop (so that the machine, however busy today, is far from saturated and queueing does not drown
 * the stalls being measured), at most `maxRatePerLane`; `ratePerLane` if no closed loop ran first.
 */
function openLoopRate(windows, profile) {
  const closed = windows.find((w) => w.loop === 'closed');
  if (closed === undefined) return profile.ratePerLane;
  const capacity = closed.rows.reduce((sum, row) => sum + row.requests, 0) / ((closed.windows * profile.durationMs) / 1000);
  return Math.max(1, Math.min(profile.maxRatePerLane, Math.floor((capacity * profile.openLoopShare) / closed.rows.length)));
}

/**
 * `profile` = `{ durationMs, repeats, windows: [{ loop, tokenLatencyMs }], openLoopShare, maxRatePerLane, ratePerLane }`.
 * Run closed windows first: the open loop's rate is derived from them.
 */
export async function runRotation(servers, profile, log) {
  const windows = [];
  const runId = Date.now().toString(36);
  const repeatCount = profile.repeats ?? 1;
  for (const [index, setting] of profile.windows.entries()) {
    const rate = setting.loop === 'open' ? openLoopRate(windows, profile) : undefined;
    const repeats = [];
    for (let repeat = 0; repeat < repeatCount; repeat++) {
      log(
        `rotation: ${setting.loop} loop${rate ? ` at ${rate} req/s per lane` : ''}, token endpoint +${setting.tokenLatencyMs} ms, ` +
          `${profile.durationMs / 1000} s (${repeat + 1} of ${repeatCount})`,
      );
      repeats.push(await runWindow(servers, setting, profile, `${runId}-${index}-${repeat}`, rate));
    }
    const window = pool(repeats);
    windows.push({ ...window, comparisons: compare(window, profile.durationMs) });
  }
  await servers.call('setTokenTtl', { server: 'rotating', seconds: 3600 });
  return {
    tokenTtlSeconds: TOKEN_TTL_SECONDS,
    durationMs: profile.durationMs,
    repeats: repeatCount,
    closedLoopConcurrencyPerLane: CONCURRENCY_PER_LANE,
    openLoopShare: profile.openLoopShare,
    lanes: ROTATION_CLIENTS.length * 2,
    windows,
  };
}
