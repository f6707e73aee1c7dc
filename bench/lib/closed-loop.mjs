// Closed loop: `concurrency` workers, each sending its next request when the previous one ends.
// Fine for throughput and CPU per request; it hides stalls (a stalled worker sends nothing), which
// is why the rotation benchmark also runs an open loop.
import { performance } from 'node:perf_hooks';

/**
 * Runs `client.send` for `durationMs` (then lets the requests in flight finish) and returns
 * `{ requests, failures, statuses, elapsedMs, cpuMicros }`. Latencies go into `latencies` if given.
 * A request counts as failed when it throws or answers anything but `okStatus`.
 */
export async function closedLoop(client, { concurrency, durationMs, latencies, okStatus = 200, onStatus }) {
  let requests = 0;
  let failures = 0;
  let firstError;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      try {
        const status = await client.send();
        onStatus?.(status);
        if (status !== okStatus) failures++;
      } catch (error) {
        failures++;
        firstError ??= error;
      }
      latencies?.add(performance.now() - sent);
      requests++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { requests, failures, firstError, elapsedMs, cpuMicros: cpu.user + cpu.system };
}
