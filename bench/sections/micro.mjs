// Section 6: core's hot path, `stamper.authorizationFor(url)` on a cache hit, against its floor (issue #19: at
// most 3×). The tasks (micro-child.mjs) run in a fresh process, `processes` times, and each row is the median
// over those processes: run in the bench's own process, after section 0 has driven clients for an hour and a
// half, the same code measured twice the nanoseconds, the floor included, and a different ratio.
import { fileURLToPath } from 'node:url';
import { jsonFromChild } from '../lib/child-json.mjs';
import { median, round } from '../lib/stats.mjs';

const CHILD = fileURLToPath(new URL('./micro-child.mjs', import.meta.url));

export async function runMicro(servers, { timeMs, processes }, log) {
  log(`micro: authorizationFor against Map.get + concat, ${processes} processes × ${timeMs} ms per task`);
  const passes = [];
  for (let pass = 0; pass < processes; pass++) {
    passes.push(await jsonFromChild(CHILD, { timeMs, tokenEndpoint: servers.rotating.tokenEndpoint }, { timeout: 300_000 }));
  }
  const { batch, url } = passes[0];
  const medianOf = (index, field) => median(passes.map((pass) => pass.rows[index][field]));
  const ns = passes[0].rows.map((_, index) => medianOf(index, 'nsPerCall'));
  const rows = passes[0].rows.map((row, index) => ({
    task: row.task,
    nsPerCall: round(ns[index], 1),
    relativeMarginOfErrorPct: round(medianOf(index, 'rme'), 1),
    timesFloor: round(ns[index] / ns[0], 2),
  }));
  return { batch, url, processes, rows };
}
