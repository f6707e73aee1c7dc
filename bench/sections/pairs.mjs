// Section 0, the verdict: each comparison as a pair of clients in processes of their own (one per round), end to end
// (sockets, the server's answer, the JSON body read and parsed), against a minimal protected API in the
// server process. An A/A pair (the plain client against an identical copy of itself) runs beside every
// client in the same run; its spread is the noise floor of that run. A target is "met" only by the
// median over rounds, and only when the client's A/A band is within ±2 %; otherwise "inconclusive".
import { execFile } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fetchAuthorization } from '../lib/clients.mjs';
import { lastJsonLine } from '../lib/child-json.mjs';
import { round, spread } from '../lib/stats.mjs';
import { AA_TOLERANCE, verdictOf } from '../lib/verdict.mjs';

const CHILD = fileURLToPath(new URL('./pair-child.mjs', import.meta.url));
const run = promisify(execFile);
const SCOPE = 'bench:pairs';
const CONCURRENCY = 32;

/**
 * Per client: the A/A pair first, then `[a, b, target]`, the target for a/b throughput (null: context). The
 * `+dpop` and `+exchange` rows are what DPoP (RFC 9449) and token exchange (RFC 8693, the call made inside
 * `onBehalfOf`) add to the same adapter end to end, beside the same A/A pair; their issues set no end-to-end
 * target, so they are context.
 */
export const PAIRS = [
  {
    client: 'axios',
    aa: 'axios plain',
    pairs: [
      ['axios mcaInterceptor', 'axios plain', 0.985],
      ['axios mcaInterceptor', 'axios peer', 1.0],
      ['axios installMca', 'axios plain', 0.975],
      ['axios installMca', 'axios peer', 1.0],
      ['axios peer', 'axios plain', null],
      ['axios floor interceptor', 'axios plain', null],
      ['axios mcaInterceptor +dpop', 'axios mcaInterceptor', null],
      ['axios mcaInterceptor +exchange', 'axios mcaInterceptor', null],
    ],
  },
  {
    client: 'got',
    aa: 'got plain',
    pairs: [
      ['got mcaHooks', 'got plain', 0.99],
      ['got floor hook', 'got plain', null],
      ['got mcaHooks +dpop', 'got mcaHooks', null],
    ],
  },
  {
    client: 'undici',
    aa: 'undici plain',
    pairs: [
      ['undici mcaInterceptor', 'undici no-op compose', 0.99],
      ['undici McaAgent', 'undici plain', 0.99],
      ['undici mcaInterceptor +dpop', 'undici mcaInterceptor', null],
      ['undici mcaInterceptor +exchange', 'undici mcaInterceptor', null],
    ],
  },
  {
    client: 'fetch',
    aa: 'fetch plain',
    pairs: [
      ['fetch McaAgent', 'fetch plain', 0.99],
      ['fetch McaAgent', 'fetch peer', 1.2],
      ['fetch mcaInterceptor +dpop', 'fetch mcaInterceptor', null],
    ],
  },
];

/** Whether `--rows=` (parts of a row's name, any of which selects it) keeps the row `a / b`; the A/A pair always runs. */
export function rowSelected(a, b, rows) {
  const name = `${a} / ${b}`;
  return rows === undefined || rows.some((part) => name.includes(part));
}

/** The parts of `--rows=` that select no row at all: a typo would otherwise run only the A/A pairs. */
export function rowsSelectingNothing(rows) {
  const names = PAIRS.flatMap((group) => group.pairs.map(([a, b]) => `${a} / ${b}`));
  return rows.filter((part) => !names.some((name) => name.includes(part)));
}

/**
 * Each round in a process of its own. A process's JIT decisions and memory layout shift a ratio by as much as
 * ±1.5 % for its whole life, and the same for every round it runs: the same pair measured twice, in two runs,
 * differed by that much while each run's A/A band (its rounds all in one process) looked tight. With a process
 * per round, the A/A band shows that spread too, and a median over rounds is a median over processes.
 */
async function runPair(a, b, ctx, profile) {
  const rounds = [];
  const failures = [];
  let warmupRequestsOfA = 0;
  for (let round = 0; round < profile.rounds; round++) {
    const args = JSON.stringify({ a, b, ctx, concurrency: CONCURRENCY, ...profile, round });
    let stdout;
    try {
      ({ stdout } = await run(process.execPath, [CHILD, args], { timeout: 30 * 60_000, maxBuffer: 1 << 24 }));
    } catch (error) {
      // Not execFile's own message: it quotes the command line, and with it the token in `ctx`.
      throw new Error(`pairs: ${a} / ${b}, round ${round}: the child failed (exit ${error.code ?? '?'}${error.killed ? ', killed' : ''}): ${String(error.stderr ?? '').trim().split('\n').slice(-5).join(' | ')}`);
    }
    const measured = lastJsonLine(stdout);
    rounds.push(measured.round);
    warmupRequestsOfA += measured.warmupRequests.a;
    failures.push(...measured.failures);
  }
  return { rounds, warmupRequestsOfA, failures };
}

/** What the API must have counted for every request of side a: a `+dpop` row's proofs, a `+exchange` row's exchanged tokens. */
const CARRIED = [
  ['+dpop', 'proven', 'a DPoP proof'],
  ['+exchange', 'exchanged', 'an exchanged token'],
];

/** A failure for each request of side a, its warm-up's included, that did not carry what its name says (counted by the minimal API). */
function carriedFailures(a, measured, before, after) {
  const requests = measured.rounds.reduce((sum, r) => sum + r.a.requests, measured.warmupRequestsOfA);
  return CARRIED.filter(([suffix]) => a.endsWith(suffix))
    .map(([, count, what]) => [after[count] - before[count], what])
    .filter(([counted]) => counted < requests)
    .map(([counted, what]) => `${a}: ${requests} requests, only ${counted} accepted with ${what}`);
}

const perSecond = (side) => (side.requests / side.elapsedMs) * 1000;
const cpuPerRequest = (side) => side.cpuMicros / side.requests;

function summarise(a, b, target, measured, serverCoreShare) {
  const rounds = measured.rounds;
  return {
    pair: `${a} / ${b}`,
    target,
    throughputRatio: spread(rounds.map((r) => perSecond(r.a) / perSecond(r.b))),
    // ≥ 1: a costs more client CPU per request than b.
    cpuPerRequestRatio: spread(rounds.map((r) => cpuPerRequest(r.a) / cpuPerRequest(r.b))),
    // Its inverse, round by round, for charts where ≥ 1 reads "a is as cheap" as throughput does.
    requestsPerCpuRatio: spread(rounds.map((r) => cpuPerRequest(r.b) / cpuPerRequest(r.a))),
    requestsPerSecond: { a: spread(rounds.map((r) => perSecond(r.a)), 0).median, b: spread(rounds.map((r) => perSecond(r.b)), 0).median },
    cpuMicrosPerRequest: { a: spread(rounds.map((r) => cpuPerRequest(r.a)), 1).median, b: spread(rounds.map((r) => cpuPerRequest(r.b)), 1).median },
    serverCoreShare: round(serverCoreShare),
    sliceNoise: sliceNoiseOf(rounds),
    failures: measured.failures,
  };
}

/**
 * How finely this machine resolves a ratio in this design: the spread (standard deviation of the log) of the
 * throughput ratio of two neighbouring slices, the ± a round of this length resolves (two standard errors),
 * and how many slices per side a round would need to resolve ±AA_TOLERANCE. Diagnostic only: it explains an
 * inconclusive run, it never decides one.
 */
function sliceNoiseOf(rounds) {
  const logs = rounds.flatMap((r) => (r.slicePairs ?? []).map(Math.log));
  if (logs.length < 2) return null;
  const mean = logs.reduce((sum, x) => sum + x, 0) / logs.length;
  const sd = Math.sqrt(logs.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (logs.length - 1));
  const pairsPerRound = logs.length / rounds.length;
  return {
    slicePairSd: round(sd, 3),
    roundResolves: round(Math.expm1((2 * sd) / Math.sqrt(pairsPerRound)), 3),
    slicesPerSideForTolerance: Math.ceil(((2 * sd) / Math.log1p(AA_TOLERANCE)) ** 2),
  };
}

/**
 * `profile` = `{ sliceMs, slicesPerSide, slicesPerClient?, rounds, warmupMs, clients?, rows? }`; `slicesPerClient` (by
 * client name) overrides `slicesPerSide` for a client whose slices are noisier.
 */
export async function runPairs(servers, profile, log) {
  const { clients: only, rows, slicesPerClient = {}, ...sharedProfile } = profile;
  const api = await servers.call('minimalApi', { name: 'pairs', server: 'rotating' });
  const tokenEndpoint = servers.rotating.tokenEndpoint;
  const ctx = { api, path: '/api/orders/42', tokenEndpoint, scope: SCOPE };
  const loadAverages = [];
  const groups = [];
  for (const group of PAIRS.filter((g) => only === undefined || only.includes(g.client))) {
    const comparisons = [];
    const pairProfile = { ...sharedProfile, slicesPerSide: slicesPerClient[group.client] ?? sharedProfile.slicesPerSide };
    for (const [a, b, target] of [[group.aa, group.aa, null], ...group.pairs.filter(([a, b]) => rowSelected(a, b, rows))]) {
      log(`pairs: ${a} / ${b} (${pairProfile.rounds} rounds × ${2 * pairProfile.slicesPerSide} slices of ${pairProfile.sliceMs} ms)`);
      loadAverages.push(os.loadavg()[0]);
      // A token of its own for each pair: section 0 outlasts a token's hour, and a `+exchange` row's subject
      // must be unexpired (the plain variants' hand-set header is the same token).
      ctx.authorization = await fetchAuthorization(tokenEndpoint, SCOPE);
      const countsBefore = await servers.call('minimalApiCounts', { name: 'pairs' });
      const cpuBefore = await servers.call('cpu');
      const started = performance.now();
      const measured = await runPair(a, b, ctx, pairProfile);
      const cpuAfter = await servers.call('cpu');
      measured.failures.push(...carriedFailures(a, measured, countsBefore, await servers.call('minimalApiCounts', { name: 'pairs' })));
      const serverCpuMs = (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / 1000;
      comparisons.push(summarise(a, b, target, measured, serverCpuMs / (performance.now() - started)));
    }
    const [aa, ...rest] = comparisons;
    const aaBand = aa.throughputRatio;
    groups.push({
      client: group.client,
      slicesPerSide: pairProfile.slicesPerSide,
      aaBand,
      aa,
      comparisons: rest.map((c) => ({ ...c, verdict: verdictOf(c, aaBand) })),
    });
  }
  loadAverages.push(os.loadavg()[0]);
  return {
    concurrency: CONCURRENCY,
    ...sharedProfile,
    loadAverage1m: { min: round(Math.min(...loadAverages)), max: round(Math.max(...loadAverages)) },
    groups,
  };
}
