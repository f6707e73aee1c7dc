/** Types of bench/charts.mjs, for tests. */
export function renderSvg(spec: object): Promise<string>;
export function drawCharts(results: unknown, outDir: string): Promise<string[]>;
