#!/usr/bin/env node
// Draws bench/results/latest.json as plain SVG files in bench/charts/, for bench/README.md (GitHub shows SVG
// images inline). Vega-Lite specs compiled to Vega and rendered headless (`renderer: 'none'`): no browser, no
// canvas. Each chart carries its units, the machine and the date of the run.
//
//   node bench/charts.mjs [results.json] [out-dir]
//
// A chart whose section is missing from the results is skipped, and sections no chart knows are ignored: to chart
// a new section, add an entry to CHARTS (a file name and a function from the results to a spec, or null).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { CHARTS } from './lib/chart-specs.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export async function renderSvg(spec) {
  // Errors only: Vega-Lite warns that faceted layers with independent scales share a data source, which ours do.
  const logger = vega.logger(vega.Error);
  const { spec: compiled } = vegaLite.compile(spec, { logger });
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Writes one SVG per chart whose data is present; returns the files written. */
export async function drawCharts(results, outDir) {
  mkdirSync(outDir, { recursive: true });
  const written = [];
  for (const chart of CHARTS) {
    const spec = chart.spec(results);
    if (spec === null) continue;
    writeFileSync(`${outDir}/${chart.file}`, `${await renderSvg(spec)}\n`);
    written.push(chart.file);
  }
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input = here('./results/latest.json'), outDir = here('./charts')] = process.argv.slice(2);
  const written = await drawCharts(JSON.parse(readFileSync(input, 'utf8')), outDir);
  console.log(`wrote ${written.length} charts to ${outDir}: ${written.join(', ')}`);
}
