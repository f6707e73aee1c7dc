/**
 * bench/charts.mjs draws one SVG per section present, skips missing sections, ignores unknown ones, and draws the
 * DPoP and token-exchange charts from the shapes their sections write. Each chart names its units, the machine and the date.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const latest = JSON.parse(readFileSync(new URL('../../bench/results/latest.json', import.meta.url), 'utf8')) as {
  sections: Record<string, unknown>;
};
const spread = (median: number) => ({ median, min: median - 0.02, max: median + 0.02, n: 5 });

let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'charts-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

async function draw(results: unknown): Promise<string[]> {
  const { drawCharts } = await import('../../bench/charts.mjs');
  return drawCharts(results, out);
}

it('draws a chart for every section of the latest full run as SVG with units, machine and date', async () => {
  const written = await draw(latest);
  expect(written.sort()).toEqual([
    'dpop-cpu.svg',
    'dpop-end-to-end.svg',
    'otel-overhead.svg',
    'overhead-ratios.svg',
    'pairs.svg',
    'peers.svg',
    'rotation-latency.svg',
    'storm-token-requests.svg',
    'token-exchange-cost.svg',
  ]);
  const rotation = readFileSync(join(out, 'rotation-latency.svg'), 'utf8');
  expect(rotation.startsWith('<svg')).toBe(true);
  expect(rotation).toContain('milliseconds');
  expect(rotation).toContain('AMD EPYC');
  expect(rotation).toContain('run of 2026-');
});

it('skips what is missing, ignores what it does not know, and draws the hooks when present', async () => {
  const results = {
    ...latest,
    sections: {
      storm: latest.sections['storm'],
      somethingNew: { rows: [{ whatever: 1 }] },
      otel: { rows: [{ client: 'got', adapter: 'mcaHooks', throughputRatio: spread(0.98), aaRatio: spread(1), target: 0.97 }] },
      // Sections 8 and 7 as bench/sections/dpop.mjs and exchange.mjs write them (DPoP end to end is in section 0).
      dpop: { isolated: { rows: [{ variant: 'bare sign', cpuNs: 28000 }, { variant: 'ours proof', cpuNs: 31000 }] } },
      exchange: { storms: [{ users: 7, requests: 70, exchanges: 7 }] },
      // Issue #19's section 0, as wip/adapters writes it.
      pairs: {
        concurrency: 32,
        rounds: 5,
        groups: [
          {
            client: 'got',
            aaBand: spread(1),
            aa: { pair: 'got plain / got plain', target: null, throughputRatio: spread(1), requestsPerCpuRatio: spread(1) },
            comparisons: [
              { pair: 'got mcaHooks / got plain', target: 0.99, throughputRatio: spread(0.995), verdict: 'met' },
              // A feature's cost: drawn in the DPoP and exchange chart, by CPU, not in the verdicts' chart.
              { pair: 'got mcaHooks +dpop / got mcaHooks', target: null, throughputRatio: spread(0.7), requestsPerCpuRatio: spread(0.8), verdict: null },
            ],
          },
        ],
      },
    },
  };
  const written = await draw(results);
  expect(written.sort()).toEqual([
    'dpop-cpu.svg',
    'dpop-end-to-end.svg',
    'otel-overhead.svg',
    'pairs.svg',
    'storm-token-requests.svg',
    'token-exchange-cost.svg',
  ]);
  expect(readdirSync(out).sort()).toEqual(written.sort());
  const features = readFileSync(join(out, 'dpop-end-to-end.svg'), 'utf8');
  expect(features).toContain('got mcaHooks +dpop / got mcaHooks');
  expect(features).toContain('requests per client CPU-second');
  expect(readFileSync(join(out, 'dpop-cpu.svg'), 'utf8')).toContain('ours proof');
  expect(readFileSync(join(out, 'token-exchange-cost.svg'), 'utf8')).toContain('7 new user(s), 70 requests');
  const verdicts = readFileSync(join(out, 'pairs.svg'), 'utf8');
  expect(verdicts).toContain('got mcaHooks / got plain (met)');
  expect(verdicts).not.toContain('+dpop');
});
