// One variant of section 1b, alone in a fresh process: V8 optimizes the code it runs, so variants timed
// in one process shape each other's machine code (the same variant measured 0.6 µs apart depending on
// its neighbours). Argument: a JSON `{ client, label, timeMs, tokenEndpoint, otel? }`; prints a JSON
// `{ p50Ns, meanNs, rme }` as its last line.
import { setTimeout } from 'node:timers/promises';
import { Bench } from 'tinybench';
import { onBehalfOf } from '@mca-oauth/undici';
import { fetchAuthorization } from '../lib/clients.mjs';
import { API, GROUPS, SCOPE } from './isolated-tasks.mjs';

const { client, label, timeMs, tokenEndpoint, otel } = JSON.parse(process.argv[2]);
// The otel section: an app's OpenTelemetry SDK, with or without McaInstrumentation ('sdk' | 'sdk+mca').
if (otel !== undefined) (await import('./otel-setup.mjs')).setUpOpenTelemetry(otel === 'sdk+mca');
const ctx = { api: API, tokenEndpoint, scope: SCOPE, authorization: await fetchAuthorization(tokenEndpoint, SCOPE) };
const task = GROUPS.find((group) => group.client === client).tasks(ctx)[label];
if (typeof task !== 'function') throw new Error(`no isolated task ${client} / ${label}`);
// A task with a `subject` runs, warm-up and timing included, as one incoming request's work (token exchange).
const inContext = (fn) => (task.subject === undefined ? fn() : onBehalfOf(task.subject, fn));
const bench = await inContext(async () => {
  // It must work before it is timed (a throw would be timed as a fast no-op). The first call also starts the
  // token fetch, which an undici dispatch does not wait for: time passes until the token is cached, so that
  // every timed call is a cache hit (a miss only queues on the fetch, and would be timed as very cheap).
  await task();
  await setTimeout(500);
  await task();
  const timed = new Bench({ time: timeMs, warmup: true });
  timed.add(label, task);
  await timed.run();
  return timed;
});
const { latency } = bench.tasks[0].result;
console.log(JSON.stringify({ p50Ns: latency.p50 * 1e6, meanNs: latency.mean * 1e6, rme: latency.rme }));
