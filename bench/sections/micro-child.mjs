// Section 6's tasks, in a fresh process (micro.mjs runs several): `stamper.authorizationFor(url)` on a cache hit,
// its floor (a bare `Map.get` plus a string concatenation, what any hand-written token cache does at least), and
// two parts of the hit (the clock read and the URL test) timed alone. Each task runs BATCH calls so that the
// timer's own cost does not swamp a sub-microsecond operation. Argument: a JSON `{ timeMs, tokenEndpoint }`;
// prints a JSON `{ batch, url, rows }` with each task's median ns per call as its last line.
import { Bench } from 'tinybench';
import { createMatcher, createStamper } from '@mca-oauth/core';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@mca-oauth/dev-server';

const BATCH = 1000;
const ORIGIN = 'http://127.0.0.1:9';
const URL_STRING = `${ORIGIN}/api/orders/42?expand=lines`;

const { timeMs, tokenEndpoint } = JSON.parse(process.argv[2]);
const stamper = createStamper({
  match: `${ORIGIN}/api/`,
  tokenEndpoint,
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
if (sink === 0) throw new Error('micro: the benchmark bodies did not run');
const rows = bench.tasks.map((task) => ({ task: task.name, nsPerCall: (task.result.latency.p50 * 1e6) / BATCH, rme: task.result.latency.rme }));
console.log(JSON.stringify({ batch: BATCH, url: URL_STRING, rows }));
