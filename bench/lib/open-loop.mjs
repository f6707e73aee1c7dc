// Open loop: requests start on a fixed schedule whatever happens to earlier ones, and each latency
// is counted from its *scheduled* start, so a stall shows up in every request that arrived during it
// (no coordinated omission). Several clients share one schedule, each at `ratePerSecond`, so they
// are measured side by side in the same noise.
import { performance } from 'node:perf_hooks';

/**
 * Runs every `{ client, latencies }` of `lanes` at `ratePerSecond` for `durationMs`, then waits for
 * the requests in flight. Returns per lane `{ requests, failures, firstError, lateStartsMs }`, where
 * `lateStartsMs` is the worst delay between a request's scheduled and actual start (the load
 * generator's own lag, to tell it apart from the client's).
 */
export async function openLoop(lanes, { ratePerSecond, durationMs, okStatus = 200, onStatus }) {
  // One schedule for all lanes, dealt round robin, so lanes take turns rather than arrive in bursts.
  const intervalMs = 1000 / (ratePerSecond * lanes.length);
  const total = Math.floor((durationMs / 1000) * ratePerSecond) * lanes.length;
  const results = lanes.map(() => ({ requests: 0, failures: 0, firstError: undefined, lateStartsMs: 0 }));
  const inFlight = new Set();
  const started = performance.now();
  let issued = 0;

  const fire = (lane, index, scheduled) => {
    const result = results[index];
    result.lateStartsMs = Math.max(result.lateStartsMs, performance.now() - scheduled);
    const done = lane.client
      .send()
      .then(
        (status) => {
          onStatus?.(index, status);
          if (status !== okStatus) result.failures++;
        },
        (error) => {
          result.failures++;
          result.firstError ??= error;
        },
      )
      .finally(() => {
        lane.latencies.add(performance.now() - scheduled);
        result.requests++;
        inFlight.delete(done);
      });
    inFlight.add(done);
  };

  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - started) / intervalMs) + 1);
      for (; issued < due; issued++) {
        const index = issued % lanes.length;
        fire(lanes[index], index, started + issued * intervalMs);
      }
      if (issued < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  return results;
}
