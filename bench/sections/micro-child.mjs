// Section 6: core's hot path, `stamper.authorizationFor(url)` on a cache hit, against its floor: a bare
// `Map.get` plus a string concatenation (what any hand-written token cache would do at least). Each
// task runs BATCH calls so that the timer's own cost does not swamp a sub-microsecond operation. Two parts
// of the hit are timed alone beside it, so that every run shows what the clock read and the URL test cost
// by themselves against the floor.
import { Bench } from 'tinybench';
import { createMatcher, createStamper } from '@mca-oauth/core';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@mca-oauth/dev-server';
import { round } from '../lib/stats.mjs';

const BATCH = 1000;
const ORIGIN = 'http://127.0.0.1:9';
const URL_STRING = `${ORIGIN}/api/orders/42?expand=lines`;

export async function runMicro(servers, { timeMs }, log) {
  log(`micro: authorizationFor against Map.get + concat, ${timeMs} ms per task`);
  const stamper = createStamper({
    match: `${ORIGIN}/api/`,
    tokenEndpoint: servers.rotating.tokenEndpoint,
    clientId: DEFAULT_CLIENT_ID,
    secret: DEFAULT_CLIENT_SECRET,
    scope: 'bench:micro',
    cacheSize: 10,
  });
  const token = await stamper.authorizationFor(URL_STRING); // the miss; every call after is a hit
  const urlObject = new URL(URL_STRING);
  const floorMap = new Map([['key', token]]);
  const matcher = createMatcher(`${ORIGIN}/api/`);
  let sink = 0;
  const tasks = {
    'Map.get + concat (floor)': () => {
      for (let i = 0; i < BATCH; i++) sink += (ORIGIN + floorMap.get('key')).length;
    },
    'authorizationFor(string)': () => {
      for (let i = 0; i < BATCH; i++) sink += stamper.authorizationFor(URL_STRING).length;
    },
    'authorizationFor(URL)': () => {
      for (let i = 0; i < BATCH; i++) sink += stamper.authorizationFor(urlObject).length;
    },
    'part: Date.now() (the freshness check)': () => {
      for (let i = 0; i < BATCH; i++) sink += Date.now() & 1;
    },
    'part: matcher.test(string) (the URL test)': () => {
      for (let i = 0; i < BATCH; i++) sink += matcher.test(URL_STRING).length;
    },
    'new URL(string) (context)': () => {
      for (let i = 0; i < BATCH; i++) sink += new URL(URL_STRING).port.length;
    },
  };
  const bench = new Bench({ time: timeMs, warmup: true });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();
  const nsPerCall = (task) => (task.result.latency.p50 * 1e6) / BATCH;
  const floor = nsPerCall(bench.tasks[0]);
  const rows = bench.tasks.map((task) => ({
    task: task.name,
    nsPerCall: round(nsPerCall(task), 1),
    relativeMarginOfErrorPct: round(task.result.latency.rme, 1),
    timesFloor: round(nsPerCall(task) / floor, 2),
  }));
  if (sink === 0) throw new Error('micro: the benchmark bodies did not run');
  return { batch: BATCH, url: URL_STRING, rows };
}
