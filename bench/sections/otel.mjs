// Section 1c: what registering McaInstrumentation costs a cache hit, section 1b style (tinybench, the client's I/O
// cut out, each variant alone in a fresh process, `processes` times, taking turns). Every variant has an app's
// OpenTelemetry SDK set up; "with" also registers McaInstrumentation. "without, A/A" is a second, identical
// "without": the spread of its ratio is the noise band the with/without ratio is read against.
// Target (issue #17): with / without throughput ≥ 0.97.
import { median, ratio, round, spread } from '../lib/stats.mjs';
import { timeInChild } from './isolated.mjs';

export const OTEL_TARGET = 0.97;

/** The adapters timed: a client of section 1b and its variant there. */
const ADAPTERS = [
  { client: 'axios', label: 'installMca' },
  { client: 'got', label: 'mcaHooks' },
  { client: 'undici.request', label: 'mcaInterceptor' },
  { client: 'undici.request', label: 'McaAgent' },
];

const VARIANTS = [
  { name: 'without', otel: 'sdk' },
  { name: 'without, A/A', otel: 'sdk' },
  { name: 'with McaInstrumentation', otel: 'sdk+mca' },
];

export async function runOtel(servers, { timeMs, processes }, log) {
  const tokenEndpoint = servers.rotating.tokenEndpoint;
  const rows = [];
  for (const adapter of ADAPTERS) {
    log(`otel: ${adapter.client} ${adapter.label}, ${VARIANTS.length} variants × ${processes} processes × ${timeMs} ms`);
    const ns = Object.fromEntries(VARIANTS.map((variant) => [variant.name, []]));
    for (let pass = 0; pass < processes; pass++) {
      const first = pass % VARIANTS.length;
      for (const variant of [...VARIANTS.slice(first), ...VARIANTS.slice(0, first)]) {
        const { p50Ns } = await timeInChild(adapter.client, adapter.label, timeMs, tokenEndpoint, variant.otel);
        ns[variant.name].push(p50Ns);
      }
    }
    // Throughput ratios: time without / time with, per process pass (the passes took turns).
    const perPass = (name) => ns['without'].map((without, pass) => without / ns[name][pass]);
    const withRatio = spread(perPass('with McaInstrumentation'));
    rows.push({
      client: adapter.client,
      adapter: adapter.label,
      processes,
      nsPerRequest: Object.fromEntries(VARIANTS.map((variant) => [variant.name, round(median(ns[variant.name]), 0)])),
      addedNs: round(median(ns['with McaInstrumentation']) - median(ns['without']), 0),
      throughputRatio: withRatio,
      aaRatio: spread(perPass('without, A/A')),
      medianRatio: ratio(median(ns['without']), median(ns['with McaInstrumentation'])),
      // The verdict is the report's: met or missed only when the A/A band is within ±2 %, as in section 0.
      target: OTEL_TARGET,
    });
  }
  return { rows };
}
