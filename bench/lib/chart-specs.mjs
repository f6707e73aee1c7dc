// The charts of bench/README.md as Vega-Lite specs, one function per chart: results in, a spec out, or null when
// the run has no such section. Every chart says its units, the machine and the date in its subtitle.

const WIDTH = 460;
const COLORS = { ours: '#1f77b4', 'ours / peer': '#9467bd', peer: '#d62728', 'A/A': '#7f7f7f' };

/** "AMD EPYC × 2 cores · linux … · Node v20.20.2 · run of 2026-11-24 (full)" */
export function machineLine(results) {
  const m = results.machine ?? {};
  const date = (results.startedAt ?? '').slice(0, 10) || 'undated';
  return [`${m.cpu ?? 'unknown CPU'} × ${m.cores ?? '?'} cores`, m.platform, m.node && `Node ${m.node}`, `run of ${date} (${results.mode ?? '?'})`]
    .filter(Boolean)
    .join(' · ');
}

function base(results, title, units) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // Opaque, so the chart reads the same on GitHub's light and dark themes.
    background: 'white',
    padding: 12,
    title: { text: title, subtitle: [units, machineLine(results)], anchor: 'start', subtitleColor: '#555' },
    config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: '#ccc' }, axis: { labelLimit: 420 }, axisY: { labelLimit: 420 } },
  };
}

/** Each group's panel: one 22-pixel band per row. */
const PANEL = { width: WIDTH, height: { step: 22 } };

/** The frame every faceted chart here shares: title, data, and one row of panels per `group`. */
function facetedByGroup(results, title, units, values) {
  return {
    ...base(results, title, units),
    data: { values },
    facet: { row: { field: 'group', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontWeight: 'bold' } } },
  };
}

const kindScale = { domain: Object.keys(COLORS), range: Object.values(COLORS) };

/**
 * Ratios with their spread, per group, against the group's A/A band: `rows` are
 * `{ group, pair, kind: 'ours' | 'peer' | 'A/A', median, min, max, target? }`.
 */
export function ratioChart(results, title, units, rows) {
  // A group with nothing but its A/A row says nothing.
  const measured = new Set(rows.filter((row) => row.kind !== 'A/A').map((row) => row.group));
  rows = rows.filter((row) => measured.has(row.group));
  if (rows.length === 0) return null;
  // Each row carries its group's A/A band, so that every layer reads the same data (no filtered forks).
  const bands = new Map(rows.filter((row) => row.kind === 'A/A').map((row) => [row.group, row]));
  const values = rows.map((row) => ({ ...row, aaMin: bands.get(row.group)?.min ?? null, aaMax: bands.get(row.group)?.max ?? null }));
  return {
    ...facetedByGroup(results, title, units, values),
    spec: {
      ...PANEL,
      layer: [
        // The A/A band: a ratio inside it is indistinguishable from noise.
        { mark: { type: 'rect', color: '#e5e5e5' }, encoding: { x: { field: 'aaMin', type: 'quantitative' }, x2: { field: 'aaMax' } } },
        { mark: { type: 'rule', strokeDash: [4, 3], color: '#333' }, encoding: { x: { datum: 1, type: 'quantitative' } } },
        {
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: {
            y: { field: 'pair', type: 'nominal', title: null, sort: null },
            x: { field: 'min', type: 'quantitative', scale: { zero: false }, title: 'ratio x / y (1 = as cheap; > 1 = x cheaper)' },
            x2: { field: 'max' },
            color: { field: 'kind', type: 'nominal', scale: kindScale, title: null },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 70 },
          encoding: {
            y: { field: 'pair', type: 'nominal', sort: null },
            x: { field: 'median', type: 'quantitative' },
            color: { field: 'kind', type: 'nominal', scale: kindScale, title: 'median, min–max' },
          },
        },
        {
          mark: { type: 'tick', color: '#2ca02c', thickness: 2, size: 18 },
          encoding: { y: { field: 'pair', type: 'nominal', sort: null }, x: { field: 'target', type: 'quantitative' } },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/** `plain (A/A) / plain`: A/A; `mcaInterceptor / peer`: ours / peer; `peer / plain`: peer; else ours. */
function kindOfPair(pair) {
  const [a = '', b = ''] = pair.split(' / ');
  if (pair.includes('A/A') || a === b) return 'A/A';
  return a.includes('peer') ? 'peer' : b.includes('peer') ? 'ours / peer' : 'ours';
}

/** Rows for ratioChart from any section shaped like section 1: `groups[].comparisons[]` with spreads. */
export function comparisonRows(section, keep = () => true, measure = 'perCpuRatio') {
  if (!Array.isArray(section?.groups)) return [];
  return section.groups.flatMap((group) =>
    (group.comparisons ?? [])
      .filter((c) => keep(c.pair))
      .map((c) => ({ spread: c[measure] ?? c.throughputRatio ?? c.ratio, c, group }))
      .filter(({ spread }) => spread?.median !== null && spread?.median !== undefined)
      .map(({ spread, c, group: g }) => ({
        group: g.client ?? g.name ?? 'all',
        pair: c.pair,
        kind: kindOfPair(c.pair),
        median: spread.median,
        min: spread.min ?? spread.median,
        max: spread.max ?? spread.median,
        target: c.target ?? null,
      })),
  );
}

/** Rows for ratioChart from a section shaped `rows[]` with a `throughputRatio` (or `ratio`) spread and maybe an `aaRatio`. */
export function rowRatioRows(section) {
  if (!Array.isArray(section?.rows)) return [];
  return section.rows.flatMap((row) => {
    const spread = row.throughputRatio ?? row.ratio;
    if (typeof spread?.median !== 'number') return [];
    const group = [row.client, row.adapter ?? row.label].filter(Boolean).join(' ');
    const pair = row.pair ?? 'with / without';
    const rows = [{ group, pair, kind: 'ours', median: spread.median, min: spread.min ?? spread.median, max: spread.max ?? spread.median, target: row.target ?? null }];
    if (typeof row.aaRatio?.median === 'number') {
      rows.push({ group, pair: 'A/A', kind: 'A/A', median: row.aaRatio.median, min: row.aaRatio.min, max: row.aaRatio.max, target: null });
    }
    return rows;
  });
}

function rotationChart(results) {
  const rotation = results.sections?.rotation;
  if (!Array.isArray(rotation?.windows)) return null;
  const percentiles = [['p50', 'p50'], ['p99', 'p99'], ['p999', 'p99.9']];
  const values = rotation.windows.flatMap((w) =>
    (w.rows ?? [])
      .filter((row) => row.server === 'rotating' && row.latency)
      .flatMap((row) =>
        percentiles.map(([field, name]) => ({
          window: `${w.loop} loop, token endpoint +${w.tokenLatencyMs} ms`,
          client: row.client,
          kind: row.ours ? 'ours' : 'peer',
          percentile: name,
          ms: row.latency[field],
        })),
      ),
  );
  if (values.length === 0) return null;
  return {
    ...base(
      results,
      'Request latency while tokens rotate',
      `milliseconds, log scale; a new token every ${rotation.tokenTtlSeconds ?? '?'} s; ${rotation.repeats ?? 1} × ${(rotation.durationMs ?? 0) / 1000} s windows pooled`,
    ),
    data: { values },
    facet: { row: { field: 'window', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontWeight: 'bold' } } },
    spec: {
      width: WIDTH,
      height: { step: 20 },
      layer: [
        {
          mark: { type: 'rule', color: '#bbb' },
          encoding: {
            y: { field: 'client', type: 'nominal', title: null, sort: null },
            x: { aggregate: 'min', field: 'ms', type: 'quantitative' },
            x2: { aggregate: 'max', field: 'ms' },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 60 },
          encoding: {
            y: { field: 'client', type: 'nominal', sort: null },
            x: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms, log scale)' },
            color: { field: 'percentile', type: 'nominal', sort: ['p50', 'p99', 'p99.9'], scale: { scheme: 'viridis' } },
            shape: { field: 'kind', type: 'nominal', scale: { domain: ['ours', 'peer'], range: ['circle', 'triangle-up'] } },
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}

function stormChart(results) {
  const storm = results.sections?.storm;
  if (!Array.isArray(storm?.rows) || storm.rows.length === 0) return null;
  const values = storm.rows.map((row) => ({ client: row.client, kind: row.ours ? 'ours' : 'peer', tokenRequests: row.tokenRequests, failures: row.failures }));
  return {
    ...base(
      results,
      'Cold storm: token requests for one burst',
      `token requests (count) made for ${storm.requests} concurrent requests on an empty cache; ours must make exactly 1`,
    ),
    data: { values },
    width: WIDTH,
    height: { step: 22 },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'client', type: 'nominal', title: null, sort: null },
          x: { field: 'tokenRequests', type: 'quantitative', title: 'token requests (count)', axis: { tickMinStep: 1 } },
          color: { field: 'kind', type: 'nominal', scale: { domain: ['ours', 'peer'], range: [COLORS.ours, COLORS.peer] }, title: null },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4 },
        encoding: { y: { field: 'client', type: 'nominal', sort: null }, x: { field: 'tokenRequests', type: 'quantitative' }, text: { field: 'tokenRequests' } },
      },
    ],
  };
}

/** What a `+dpop` or `+exchange` row of section 0 measures: a feature's cost, beside the overhead verdicts. */
export const isFeatureRow = (pair) => /\+(dpop|exchange) \//.test(pair);

/** Section 0's rows that `keep` keeps, each group's A/A pair first (its band), a verdict in the row's label. */
function pairRows(pairs, keep, measure) {
  if (!Array.isArray(pairs?.groups)) return [];
  return pairs.groups.flatMap((group) => {
    const labelled = [
      ...(group.aa ? [{ ...group.aa, pair: `${group.aa.pair} (A/A)` }] : []),
      ...(group.comparisons ?? []).filter((c) => keep(c.pair)).map((c) => (c.verdict ? { ...c, pair: `${c.pair} (${c.verdict})` } : c)),
    ];
    // Only rows that hold this measure: comparisonRows would fall back to another under this chart's units.
    const measured = labelled.filter((c) => c[measure] !== undefined);
    return comparisonRows({ groups: [{ client: group.client, comparisons: measured }] }, () => true, measure);
  });
}

/**
 * Section 0 (issue #19's end-to-end pairs): `groups[]` of `{ client, aa, comparisons[] }`, each a throughput
 * ratio a/b with its spread, a target and a verdict; the A/A pair is the group's band. The DPoP and
 * token-exchange rows have a chart of their own.
 */
function pairsChart(results) {
  const pairs = results.sections?.pairs;
  if (!Array.isArray(pairs?.groups)) return null;
  const rows = pairRows(pairs, (pair) => !isFeatureRow(pair), 'throughputRatio');
  return ratioChart(
    results,
    '0. End to end, in pairs: the verdict',
    `throughput ratio a / b, median and min–max over ${pairs.rounds ?? '?'} rounds, concurrency ${pairs.concurrency ?? '?'}; grey band: the A/A pair; green tick: target`,
    rows,
  );
}

/** A chart for a section whose shape is one of the two ratio shapes, when present (hooks for sections still to come). */
const RATIO_UNITS = 'ratio of requests per CPU-second, median and min–max over rounds; grey band: the A/A control; green tick: target';

export const CHARTS = [
  { file: 'pairs.svg', spec: pairsChart },
  {
    file: 'overhead-ratios.svg',
    spec: (results) =>
      ratioChart(results, '1. Cache-hit overhead per client', RATIO_UNITS, comparisonRows(results.sections?.overhead, (pair) => !pair.includes('peer'))),
  },
  {
    file: 'peers.svg',
    spec: (results) =>
      ratioChart(
        results,
        '2. Ours against the peers',
        RATIO_UNITS,
        comparisonRows(results.sections?.overhead, (pair) => pair.includes('peer') || pair.includes('A/A')),
      ),
  },
  { file: 'rotation-latency.svg', spec: rotationChart },
  { file: 'storm-token-requests.svg', spec: stormChart },
  {
    file: 'otel-overhead.svg',
    spec: (results) =>
      ratioChart(
        results,
        '1c. Cache-hit stamping with McaInstrumentation registered',
        'throughput ratio with / without (tinybench, no network, median and min–max over processes); grey: A/A; green tick: target',
        rowRatioRows(results.sections?.otel),
      ),
  },
  {
    file: 'dpop-end-to-end.svg',
    spec: (results) =>
      ratioChart(
        results,
        '0. DPoP and token exchange, end to end: the adapter with the feature / without (context, no target)',
        `requests per client CPU-second a / b (≥ 1: a is as cheap), median and min–max over ${results.sections?.pairs?.rounds ?? '?'} rounds, a process per round`,
        pairRows(results.sections?.pairs, isFeatureRow, 'requestsPerCpuRatio'),
      ),
  },
  {
    file: 'dpop-cpu.svg',
    spec: (results) =>
      barChart(
        results,
        '8a, 8b. CPU per request: a DPoP proof, the bare signature, oauth4webapi',
        'CPU ns per request (process.cpuUsage, every thread; median of processes)',
        (results.sections?.dpop?.isolated?.rows ?? []).map((row) => ({ group: 'DPoP', label: row.variant, value: row.cpuNs })),
      ),
  },
  {
    file: 'token-exchange-cost.svg',
    spec: (results) =>
      barChart(
        results,
        '1b, 7. Token exchange: what a cache hit costs, and exchanges per storm',
        'ns per request (tinybench, no network, median of processes); exchanges made for a storm of new users',
        [
          ...isolatedRows(results, (client) => client.startsWith('token exchange')).map((row) => ({ group: 'hit, ns per request', label: row.label, value: row.nsPerRequest })),
          ...(results.sections?.exchange?.storms ?? []).map((storm) => ({
            group: 'exchanges per storm (target: one per user)',
            label: `${storm.users} new user(s), ${storm.requests} requests`,
            value: storm.exchanges,
          })),
        ],
      ),
  },
];

/** Section 1b's rows of the groups whose client passes `keep`. */
function isolatedRows(results, keep) {
  return (results.sections?.isolated?.groups ?? []).filter((group) => keep(group.client ?? '')).flatMap((group) => group.rows ?? []);
}

/** Horizontal bars, one facet per group: `values` are `{ group, label, value }`. */
function barChart(results, title, units, values) {
  values = values.filter((value) => typeof value.value === 'number');
  if (values.length === 0) return null;
  return {
    ...facetedByGroup(results, title, units, values),
    spec: {
      ...PANEL,
      layer: [
        {
          mark: { type: 'bar', color: COLORS.ours },
          encoding: {
            y: { field: 'label', type: 'nominal', title: null, sort: null },
            x: { field: 'value', type: 'quantitative', title: null },
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 4, color: '#333' },
          encoding: { y: { field: 'label', type: 'nominal', sort: null }, x: { field: 'value', type: 'quantitative' }, text: { field: 'value', type: 'quantitative', format: ',' } },
        },
      ],
    },
    resolve: { scale: { y: 'independent', x: 'independent' } },
  };
}
