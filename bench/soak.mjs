#!/usr/bin/env node
// The soak: a million stamped requests through the undici adapter (`new Agent().compose(mcaInterceptor(...))`)
// against the protected API, with 2-second tokens, so the token is replaced hundreds of times under load.
// It reports failed requests, 401s (at the API and at the caller), token requests against what refresh ahead
// predicts, and the heap after forced GC at the start and the end.
//
// Usage: node --expose-gc bench/soak.mjs [--smoke] [--requests N] [--concurrency N]
//   full:    1,000,000 requests; writes bench/results/soak.json.
//   --smoke: 30,000 requests, a few seconds; prints only. For CI.
// Exits non-zero if any request failed, any 401 reached the caller, or the heap after GC grew past
// HEAP_GROWTH_LIMIT times its size after warm-up.
// Needs the built packages: `npx pnpm@10.34.8 -r --filter "./packages/**" run build`.
//
// The servers run in a child process (soak-worker-servers.mjs): on a 2-core machine the client under test
// and the servers then each get a core, instead of taking turns on one event loop.

import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, platform, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { closeIdleTokenConnections } from '@mca-oauth/core';
import { mcaInterceptor } from '@mca-oauth/undici';
import { Agent } from 'undici';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const REQUESTS = option('--requests', smoke ? 30_000 : 1_000_000);
const CONCURRENCY = option('--concurrency', 64);
const WARM_UP_REQUESTS = 2_000;
/** Generous on purpose: the heap is not a clock, but a leak of even a few bytes a request shows at this scale. */
const HEAP_GROWTH_LIMIT = 1.5;
const HEAP_SAMPLE_EVERY_MS = 10_000;
const RESULTS = fileURLToPath(new URL('./results/soak.json', import.meta.url));

if (!(Number.isInteger(REQUESTS) && REQUESTS > 0 && Number.isInteger(CONCURRENCY) && CONCURRENCY > 0)) {
  console.error('soak: --requests and --concurrency take a positive integer');
  process.exit(2);
}
if (typeof globalThis.gc !== 'function') {
  console.error('soak: run it with node --expose-gc, so that heap figures are taken after a full collection');
  process.exit(2);
}

function heapAfterGc() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

function startServers() {
  const child = fork(fileURLToPath(new URL('./soak-worker-servers.mjs', import.meta.url)), { stdio: 'inherit' });
  const ask = (message, key) =>
    new Promise((resolve, reject) => {
      const onMessage = (reply) => {
        if (reply?.[key] === undefined) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(reply[key] === true ? reply : reply[key]);
      };
      const onExit = (code) => reject(new Error(`the servers' process exited (${code}) before answering`));
      child.on('message', onMessage);
      child.once('exit', onExit);
      if (message !== undefined) child.send(message);
    });
  return {
    child,
    ready: ask(undefined, 'ready'),
    stats: () => ask('stats', 'stats'),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

/** Sends `total` requests over `concurrency` loops and counts every outcome. */
async function drive(dispatcher, origin, total, concurrency, counts, onProgress) {
  let issued = 0;
  const loop = async () => {
    while (issued < total) {
      issued += 1;
      try {
        const response = await dispatcher.request({ origin, path: '/api/echo', method: 'GET' });
        await response.body.dump();
        if (response.statusCode === 200) counts.ok += 1;
        else if (response.statusCode === 401) counts.unauthorizedAtCaller += 1;
        else counts.failed += 1;
      } catch (error) {
        counts.failed += 1;
        if (counts.errors.length < 5) counts.errors.push(`${error?.code ?? ''} ${error?.message ?? error}`);
      }
      if (issued % 10_000 === 0) onProgress?.();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
}

async function main() {
  const servers = startServers();
  process.once('exit', () => servers.child.exitCode === null && servers.child.kill());
  const { tokenEndpoint, apiUrl, clientId, secret, tokenTtl } = await servers.ready;
  const dispatcher = new Agent().compose(
    mcaInterceptor({ match: `${apiUrl}/api`, tokenEndpoint, clientId, secret, cacheSize: 10, env: {} }),
  );
  try {
    // Warm-up: connections, JIT, the first token; the heap baseline is taken after it.
    const warmUp = { ok: 0, unauthorizedAtCaller: 0, failed: 0, errors: [] };
    await drive(dispatcher, apiUrl, WARM_UP_REQUESTS, CONCURRENCY, warmUp);
    const before = await servers.stats();
    const heapStart = heapAfterGc();

    const counts = { ok: 0, unauthorizedAtCaller: 0, failed: 0, errors: [] };
    const heapSamples = [heapStart];
    let lastSample = performance.now();
    const started = performance.now();
    await drive(dispatcher, apiUrl, REQUESTS, CONCURRENCY, counts, () => {
      if (performance.now() - lastSample < HEAP_SAMPLE_EVERY_MS) return;
      lastSample = performance.now();
      heapSamples.push(heapAfterGc());
      process.stdout.write(`\r${counts.ok + counts.unauthorizedAtCaller + counts.failed} requests…`);
    });
    const durationSec = (performance.now() - started) / 1000;
    const heapEnd = heapAfterGc();
    heapSamples.push(heapEnd);
    const after = await servers.stats();

    const tokenRequests = after.tokenRequests.requests - before.tokenRequests.requests;
    // Core counts 10% of a short token's life as clock skew and refreshes past 80% of what is left: a new token
    // every 0.8 × 0.9 × ttl seconds (1.44 s for 2-second tokens), plus the token request's own round trip.
    const refreshEverySec = Number((0.8 * 0.9 * tokenTtl).toFixed(3));
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      undici: createRequire(import.meta.url)('undici/package.json').version,
      machine: { cpu: cpus()[0]?.model, cores: cpus().length, os: `${platform()} ${release()}` },
      settings: { requests: REQUESTS, concurrency: CONCURRENCY, tokenTtlSec: tokenTtl, dispatcher: 'new Agent().compose(mcaInterceptor(options))' },
      durationSec: Number(durationSec.toFixed(1)),
      requestsPerSec: Math.round(REQUESTS / durationSec),
      requests: { ok: counts.ok, failed: counts.failed, unauthorizedAtCaller: counts.unauthorizedAtCaller, errors: counts.errors },
      unauthorizedAtApi: after.api.rejected - before.api.rejected,
      tokenRequests: {
        made: tokenRequests,
        failed: after.tokenRequests.failures - before.tokenRequests.failures,
        expected: Math.round(durationSec / refreshEverySec),
        refreshEverySec,
      },
      heap: {
        startMiB: mib(heapStart),
        endMiB: mib(heapEnd),
        ratio: Number((heapEnd / heapStart).toFixed(3)),
        maxMiB: mib(Math.max(...heapSamples)),
        samplesMiB: heapSamples.map(mib),
      },
    };
    process.stdout.write('\r');
    console.log(`soak${smoke ? ' (smoke)' : ''}:`, JSON.stringify(report, null, 2));
    if (!smoke) {
      mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
      writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`wrote ${RESULTS}`);
    }
    const problems = [
      counts.failed > 0 && `${counts.failed} requests failed`,
      counts.unauthorizedAtCaller > 0 && `${counts.unauthorizedAtCaller} requests got a 401`,
      counts.ok !== REQUESTS && `${counts.ok} of ${REQUESTS} requests succeeded`,
      report.heap.ratio > HEAP_GROWTH_LIMIT && `the heap grew ${report.heap.ratio}× (limit ${HEAP_GROWTH_LIMIT}×)`,
    ].filter(Boolean);
    if (problems.length > 0) {
      console.error(`soak: FAILED: ${problems.join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    await dispatcher.close();
    closeIdleTokenConnections();
    await servers.stop();
  }
}

function mib(bytes) {
  return Number((bytes / 1024 / 1024).toFixed(2));
}

await main();
