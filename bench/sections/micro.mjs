// Section 6: core's hot path, `stamper.authorizationFor(url)` on a cache hit, against its floor (issue #19: at
// most 3×). The tasks (micro-child.mjs) run in a fresh process, `processes` times, and each row is the median
// over those processes: run in the bench's own process, after section 0 has driven clients for an hour and a
// half, the same code measured twice the nanoseconds, the floor included, and a different ratio.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median, round } from '../lib/stats.mjs';

const CHILD = fileURLToPath(new URL('./micro-child.mjs', import.meta.url));
const run = promisify(execFile);

export async function runMicro(servers, { timeMs, processes }, log) {
  log(`micro: authorizationFor against Map.get + concat, ${processes} processes × ${timeMs} ms per task`);
  const passes = [];
  for (let pass = 0; pass < processes; pass++) {
    const argument = JSON.stringify({ timeMs, tokenEndpoint: servers.rotating.tokenEndpoint });
    const { stdout } = await run(process.execPath, [CHILD, argument], { timeout: 300_000 });
    passes.push(JSON.parse(stdout.trim().split('\n').at(-1)));
  }
  const { batch, url } = passes[0];
  const nsOf = (index) => median(passes.map((pass) => pass.rows[index].nsPerCall));
  const floor = nsOf(0);
  const rows = passes[0].rows.map((row, index) => ({
    task: row.task,
    nsPerCall: round(nsOf(index), 1),
    relativeMarginOfErrorPct: round(median(passes.map((pass) => pass.rows[index].rme)), 1),
    timesFloor: round(nsOf(index) / floor, 2),
  }));
  return { batch, url, processes, rows };
}
