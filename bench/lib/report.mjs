// Renders a results object as Markdown tables: what `run.mjs` prints and what bench/README.md shows.
import { table } from './table.mjs';
import { verdictOf } from './verdict.mjs';

const withSpread = (s) => (s.median === null ? '–' : `${s.median} (${s.min}–${s.max})`);
const met = (value) => (value === null || value === undefined ? '' : value ? 'met' : 'missed');
const isPeerPair = (pair) => pair.includes('peer');

function overheadTables(overhead) {
  const comparisons = (keep) =>
    overhead.groups.flatMap((group) =>
      group.comparisons
        .filter((c) => keep(c.pair))
        .map((c) => [
          group.client,
          c.pair,
          withSpread(c.perCpuRatio),
          withSpread(c.throughputRatio),
          c.addedCpuMicrosPerRequest,
          c.p50Ratio,
          c.p99Ratio,
          c.target === null ? '' : `≥ ${c.target} (judged in section 0)`,
        ]),
    );
  const header = ['client', 'x / y', 'req per CPU-s, x/y', 'req/s, x/y', '+µs CPU/req', 'p50 x/y', 'p99 x/y', 'target'];
  const variants = overhead.groups.flatMap((group) =>
    group.rows.map((row) => [
      group.client,
      row.label,
      row.requestsPerSecond.median,
      row.cpuMicrosPerRequest.median,
      row.p50Ms,
      row.p99Ms,
      group.serverCoreShare,
    ]),
  );
  return [
    `### 1. Cache-hit overhead (concurrency ${overhead.concurrency}, ${overhead.rounds} rounds of ${overhead.sliceMs} ms slices, median (min–max) of per-round ratios)`,
    table(header, comparisons((pair) => !isPeerPair(pair))),
    '### 2. Against the peers (same rounds)',
    table(header, comparisons(isPeerPair)),
    '#### Per variant (context: absolute numbers on a shared machine)',
    table(['client', 'variant', 'req/s', 'CPU µs/req', 'p50 ms', 'p99 ms', 'server cores used'], variants),
  ].join('\n\n');
}

function pairsTables(pairs) {
  const rows = pairs.groups.flatMap((group) =>
    [{ ...group.aa, verdict: null, aaRow: true }, ...group.comparisons].map((c) => [
      group.client,
      c.aaRow ? `${c.pair} (A/A)` : c.pair,
      withSpread(c.throughputRatio),
      withSpread(c.cpuPerRequestRatio),
      `${c.cpuMicrosPerRequest.a} / ${c.cpuMicrosPerRequest.b}`,
      c.serverCoreShare,
      c.target === null ? '' : `≥ ${c.target}`,
      c.aaRow ? `band ${c.throughputRatio.min}–${c.throughputRatio.max}` : (c.verdict ?? ''),
    ]),
  );
  const noise = pairs.groups
    .filter((group) => group.aa.sliceNoise)
    .map((group) => {
      const { slicePairSd, roundResolves, slicesPerSideForTolerance } = group.aa.sliceNoise;
      return [group.client, slicePairSd, `±${(roundResolves * 100).toFixed(1)} %`, slicesPerSideForTolerance];
    });
  return [
    `### 0. End to end, in pairs: the verdict (concurrency ${pairs.concurrency}; ${pairs.rounds} rounds, each in a process of its own holding just the pair, of ` +
      `alternating ${pairs.sliceMs} ms slices, ${slicesPerSideOf(pairs)} per side; median (min–max) of per-round ratios; ` +
      `load average (1 min) during the run ${pairs.loadAverage1m.min}–${pairs.loadAverage1m.max})`,
    'throughput a/b ≥ 1: a is as fast as b. client CPU per request a/b ≤ 1: a costs no more CPU than b. A target is met only ' +
      'by the throughput median, and only when the A/A band of the same client in the same run is within ±2 %; otherwise the row is inconclusive.',
    table(['client', 'a / b', 'throughput a/b', 'client CPU per request a/b', 'CPU µs/req a / b', 'server cores used', 'target', 'verdict'], rows),
    ...(noise.length === 0
      ? []
      : [
          "The machine's noise, from each A/A pair (diagnostic, never a verdict): the spread of the throughput ratio of two " +
            'neighbouring slices (standard deviation of its log), the ± one round resolves (two standard errors), and the slices ' +
            'per side a round would need to resolve ±2 %.',
          table(['client', 'slice-pair spread', 'one round resolves', 'slices per side for ±2 %'], noise),
        ]),
  ].join('\n\n');
}

function isolatedTables(isolated) {
  const measured = isolated.groups.flatMap((group) =>
    group.rows.map((row) => [
      group.client,
      row.label,
      row.nsPerRequest,
      row.meanNsPerRequest,
      row.relativeMarginOfErrorPct,
      row.addedNs,
      row.addedMeanNs,
    ]),
  );
  const parts = [
    `### 1b. What the adapter adds per request, without the network (tinybench; each variant alone in a fresh process, median of ${isolated.groups[0]?.processes ?? 1} processes)`,
    table(['client', 'variant', 'ns/req, median', 'ns/req, mean', '± %', 'added ns, median', 'added ns, mean (with GC)'], measured),
  ];
  if (isolated.predictions?.some((p) => p.predictedRatio !== null)) {
    parts.push(
      'Predicted end-to-end ratio = plain CPU per request (section 1) / (that + the added mean ns); fetch goes through the same undici dispatch layer.',
      table(
        ['client', 'x / y', 'added ns', 'plain CPU µs/req', 'predicted x/y'],
        isolated.predictions.map((p) => [p.client, p.pair, p.addedNs, p.plainCpuMicrosPerRequest, p.predictedRatio]),
      ),
    );
  }
  return parts.join('\n\n');
}

function otelTable(otel) {
  const band = (s) => (s.median === null ? '–' : `${s.median} (${s.min}–${s.max})`);
  return [
    `### 1c. Cache-hit stamping with McaInstrumentation registered (section 1b style, median of ${otel.rows[0]?.processes ?? 1} processes; both variants have an OpenTelemetry SDK; ` +
      'met or missed only when the A/A band is within ±2 %, as in section 0, else inconclusive)',
    table(
      ['client', 'adapter', 'ns/req without', 'ns/req with', 'added ns', 'with / without', 'A/A', 'target', ''],
      otel.rows.map((r) => [
        r.client, r.adapter, r.nsPerRequest['without'], r.nsPerRequest['with McaInstrumentation'], r.addedNs,
        band(r.throughputRatio), band(r.aaRatio), `≥ ${r.target}`, r.throughputRatio.median === null ? '' : verdictOf(r, r.aaRatio),
      ]),
    ),
    ...(otel.predictions?.some((p) => p.predictedRatio !== null)
      ? [
          'Predicted end to end (context, not a verdict): plain CPU per request (section 1) / (that + the added ns).',
          table(
            ['client', 'adapter', 'added ns', 'plain CPU µs/req', 'predicted with / without'],
            otel.predictions.map((p) => [p.client, p.adapter, p.addedNs, p.plainCpuMicrosPerRequest, p.predictedRatio]),
          ),
        ]
      : []),
  ].join('\n\n');
}

function stormTable(storm) {
  return [
    `### 3. Cold storm (${storm.requests} requests at once, empty cache, ${storm.connectionsPerClient} sockets per client)`,
    table(
      ['client', 'ours', 'token requests', 'failed', 'p50 ms', 'p99 ms', 'all done ms', ''],
      storm.rows.map((r) => [r.client, r.ours ? 'yes' : 'peer', r.tokenRequests, r.failures, r.p50Ms, r.p99Ms, r.totalMs, r.ours ? met(r.ok) : '']),
    ),
  ].join('\n\n');
}

function rotationTable(rotation) {
  const rows = rotation.windows.flatMap((w) =>
    w.comparisons.map((c) => [
      w.loop,
      `+${w.tokenLatencyMs} ms`,
      c.client,
      c.requests,
      c.unauthorizedAtApi,
      `${c.tokenRequests.join(', ')} (≈${c.expectedTokenRequests} each)`,
      c.p99Ms,
      c.p99Ratio,
      c.p999Ratio,
      c.maxMs,
    ]),
  );
  const rates = rotation.windows
    .filter((w) => w.loop === 'open')
    .map((w) => w.ratePerLane)
    .filter((x) => x !== undefined);
  return [
    `### 4. Rotation under load (${rotation.tokenTtlSeconds}-second tokens, ${rotation.repeats ?? 1} × ${rotation.durationMs / 1000} s per setting, latencies pooled, ${rotation.lanes} lanes side by side; ` +
      `closed loop ${rotation.closedLoopConcurrencyPerLane} in flight per lane, open loop ${[...new Set(rates)].join(', ')} req/s per lane)`,
    'requests and 401s: all windows of the setting; token requests: per window. p99 ratio and p99.9 ratio: this client with 2-second tokens / the same client with a long-lived token, same windows. Targets for ours: 0 401s, ≤ 1.1, ≤ 1.2.',
    table(['loop', 'token endpoint', 'client', 'requests', '401s at API', 'token requests', 'p99 ms', 'p99 ratio', 'p99.9 ratio', 'max ms'], rows),
  ].join('\n\n');
}

function memoryTable(memory) {
  const h = memory.heapMiB;
  return [
    `### 5. Memory (${memory.keys} keys through one cache of ${memory.cacheSize}; then ${memory.stampings} cache-hit stampings; heap after forced GC)`,
    table(
      ['measure', 'value', 'target', ''],
      [
        ['tokens cached after all keys', memory.cacheSizeAfterKeys, `≤ ${memory.cacheSize}`, met(memory.cacheSizeAfterKeys <= memory.cacheSize)],
        ['heap MiB after 10% / 100% of keys', `${h.afterTenPercentKeys} / ${h.afterAllKeys}`, '', ''],
        ['heap growth, 100% / 10% of keys', memory.keysGrowth, 'bounded', ''],
        [`heap MiB after ${memory.warmStampings} / ${memory.stampings} stampings`, `${h.afterWarmStampings} / ${h.afterAllStampings}`, '', ''],
        ['heap growth under stampings', memory.stampingsGrowth, '≤ 1.05', met(memory.stampingsGrowth <= 1.05)],
        ['token requests / failed / hit misses', `${memory.tokenRequests} / ${memory.tokenErrors} / ${memory.hitMisses}`, `${memory.keys} / 0 / 0`, ''],
      ],
    ),
  ].join('\n\n');
}

/** "200", or "200 (got 300, undici 300)" when clients differ; runs from before per-client counts carry one count. */
function slicesPerSideOf(pairs) {
  const others = pairs.groups.filter((group) => group.slicesPerSide !== undefined && group.slicesPerSide !== pairs.slicesPerSide);
  if (others.length === 0) return String(pairs.slicesPerSide);
  return `${pairs.slicesPerSide} (${others.map((group) => `${group.client} ${group.slicesPerSide}`).join(', ')})`;
}

function microTable(micro) {
  return [
    `### 6. Core micro-benchmark (tinybench, ${micro.batch} calls per sample; median of ${micro.processes ?? 1} fresh processes)`,
    table(
      ['task', 'ns/call', '± %', '× floor'],
      micro.rows.map((r) => [r.task, r.nsPerCall, r.relativeMarginOfErrorPct, r.timesFloor]),
    ),
  ].join('\n\n');
}

/** 8a: the interleaved verdict; runs from before it existed carry only the separate-process ratio. */
function proofRow({ proofOverFloor: proof, proofOverFloorSeparateProcesses: separate }) {
  const context = separate === undefined ? '' : `; one process per variant: ${separate.ratio} (A/A ${separate.aaRatio})`;
  if (proof.aaBand === undefined) return ['8a. whole proof / floor', `ours proof / bare sign, CPU (A/A ${proof.aaRatio})`, proof.ratio, '≤ 1.2', met(proof.met)];
  return [
    '8a. whole proof / floor',
    `ours proof (${proof.oursProofNs} ns) / bare sign (${proof.bareSignNs} ns) of the same bytes and key, CPU, the pair design (a process per pair and round); A/A ${withSpread(proof.aaBand)}${context}`,
    withSpread(proof.ratio),
    '≤ 1.2',
    proof.verdict,
  ];
}

function dpopTables(dpop) {
  if (dpop.skipped !== undefined) return `### 8. DPoP\n\nskipped: ${dpop.skipped}`;
  const { isolated, ath } = dpop;
  return [
    `### 8. DPoP (RFC 9449): a proof on every request (rows and 8b: each variant alone in a fresh process, median of ${isolated.rows[0]?.processes ?? 1} processes; ` +
      `8a: section 0's pair design; CPU from process.cpuUsage, every thread)`,
    table(['variant', 'CPU ns/req', 'wall ns/req'], isolated.rows.map((r) => [r.variant, r.cpuNs, r.wallNs])),
    table(
      ['question', 'measure', 'value', 'target', ''],
      [
        proofRow(isolated),
        [
          '8b. added by DPoP',
          `oauth4webapi (${isolated.addedByDpop.oauth4webapiNs} ns) / ours (${isolated.addedByDpop.oursNs} ns), CPU; whole request ${isolated.addedByDpop.wholeRequestRatio}×`,
          isolated.addedByDpop.ratio,
          '≥ 4',
          met(isolated.addedByDpop.met),
        ],
        ['8c. ath on cache hits', `createHash calls: token fetch ${ath.hashesDuringTokenFetch}, ${ath.hits} hits ${ath.hashesDuringHits}; distinct proofs ${ath.distinctProofs}`, ath.hashesDuringHits, '0', met(ath.ok)],
      ],
    ),
    "End to end: section 0's `+dpop` rows (each adapter with DPoP against itself without, beside its client's A/A pair).",
  ].join('\n\n');
}

function exchangeTables(exchange) {
  const m = exchange.memory;
  const h = m.heapMiB;
  return [
    '### 7. Token exchange: storms of new users, and memory with many users (a hit: 1b, "token exchange"; end to end: section 0\'s `+exchange` rows)',
    table(
      ['storm', 'requests', 'exchanges', 'target', 'failed', 'ms', ''],
      exchange.storms.map((s) => [`${s.users} new user(s)`, s.requests, s.exchanges, s.users, s.failures, s.ms, met(s.ok)]),
    ),
    table(
      ['memory measure', 'value', 'target', ''],
      [
        [`tokens cached after ${m.users} users`, m.cacheSizeAfterUsers, `≤ ${m.cacheSize}`, met(m.cacheSizeAfterUsers <= m.cacheSize)],
        ['heap MiB after 10% / 100% of users', `${h.afterTenPercentUsers} / ${h.afterAllUsers}`, '', ''],
        ['heap growth, 100% / 10% of users', m.usersGrowth, 'flat (≈ 1)', ''],
        [`heap MiB after 1% / all of ${m.stampings} stampings`, `${h.afterWarmStampings} / ${h.afterAllStampings}`, '', ''],
        ['heap growth under stampings', m.stampingsGrowth, '≤ 1.05', met(m.stampingsGrowth <= 1.05)],
        ['exchanges / failed / hit misses', `${m.exchanges} / ${m.tokenErrors} / ${m.hitMisses}`, `${m.users} / 0 / 0`, ''],
      ],
    ),
  ].join('\n\n');
}

/** All sections present in `results`, in order, with the run's header. */
export function renderReport(results) {
  const m = results.machine;
  const parts = [
    `Node ${m.node} (global fetch: undici ${m.bundledUndici}) · ${m.cpu} × ${m.cores} · ` +
      Object.entries(m.clients)
        .map(([name, version]) => `${name} ${version}`)
        .join(', ') +
      ` · ${results.startedAt} · ${results.mode}` +
      (results.mode === 'smoke' ? ' (a smoke run checks that everything works; its numbers mean nothing)' : ''),
  ];
  if (results.sections.pairs) parts.push(pairsTables(results.sections.pairs));
  if (results.sections.overhead) parts.push(overheadTables(results.sections.overhead));
  if (results.sections.isolated) parts.push(isolatedTables(results.sections.isolated));
  if (results.sections.otel) parts.push(otelTable(results.sections.otel));
  if (results.sections.storm) parts.push(stormTable(results.sections.storm));
  if (results.sections.rotation) parts.push(rotationTable(results.sections.rotation));
  if (results.sections.memory) parts.push(memoryTable(results.sections.memory));
  if (results.sections.micro) parts.push(microTable(results.sections.micro));
  if (results.sections.exchange) parts.push(exchangeTables(results.sections.exchange));
  if (results.sections.dpop) parts.push(dpopTables(results.sections.dpop));
  if (results.problems.length > 0) parts.push(`### Problems\n\n${results.problems.map((p) => `- ${p}`).join('\n')}`);
  return parts.join('\n\n');
}
