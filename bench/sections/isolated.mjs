// Section 1b: what each adapter adds to a request, without the network. On a shared machine the
// end-to-end ratios of section 1 carry several percent of noise; the same clients with their I/O cut
// out (isolated-tasks.mjs) are timed with tinybench, where differences of a hundred nanoseconds are
// resolvable. Each variant runs alone in a fresh process (isolated-child.mjs), `processes` times, the
// variants taking turns; the result is the median over those processes. The difference to the plain
// client is the adapter's own work per request (the mean includes the garbage collection its
// allocations cause); with the plain client's end-to-end CPU per request (section 1) it predicts the
// end-to-end ratio.
import { fileURLToPath } from 'node:url';
import { jsonFromChild } from '../lib/child-json.mjs';
import { median, round } from '../lib/stats.mjs';
import { GROUPS } from './isolated-tasks.mjs';

const CHILD = fileURLToPath(new URL('./isolated-child.mjs', import.meta.url));

/** `otel` (the otel section): 'sdk' or 'sdk+mca'. */
export async function timeInChild(client, label, timeMs, tokenEndpoint, otel) {
  return jsonFromChild(CHILD, { client, label, timeMs, tokenEndpoint, otel }, { timeout: 120_000 });
}

export async function runIsolated(servers, { timeMs, processes }, log) {
  const tokenEndpoint = servers.rotating.tokenEndpoint;
  const groups = [];
  for (const group of GROUPS) {
    const labels = group.labels;
    log(`isolated: ${group.client}, ${labels.length} variants × ${processes} processes × ${timeMs} ms`);
    const samples = Object.fromEntries(labels.map((label) => [label, { p50: [], mean: [], rme: [] }]));
    for (let pass = 0; pass < processes; pass++) {
      // Rotated, so that no variant always runs first or last.
      const first = pass % labels.length;
      for (const label of [...labels.slice(first), ...labels.slice(0, first)]) {
        const { p50Ns, meanNs, rme } = await timeInChild(group.client, label, timeMs, tokenEndpoint);
        samples[label].p50.push(p50Ns);
        samples[label].mean.push(meanNs);
        samples[label].rme.push(rme);
      }
    }
    const result = (label) => ({ ns: median(samples[label].p50), mean: median(samples[label].mean), rme: median(samples[label].rme) });
    const base = result(group.baseline);
    groups.push({
      client: group.client,
      processes,
      rows: labels.map((label) => {
        const { ns, mean, rme } = result(label);
        return {
          label,
          nsPerRequest: round(ns, 0),
          meanNsPerRequest: round(mean, 0),
          relativeMarginOfErrorPct: round(rme, 1),
          addedNs: label === group.baseline ? null : round(ns - base.ns, 0),
          addedMeanNs: label === group.baseline ? null : round(mean - base.mean, 0),
        };
      }),
    });
  }
  return { groups };
}
