/**
 * Load: `concurrency` loops, each sending one request after another until stopped, recording every outcome.
 * Each loop pauses a millisecond between requests: a request that fails at once (a token in backoff) settles
 * through promise jobs alone, and loops of those would starve the timers the test waits on and, with four clients
 * in one process, the requests of a client that has its token back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Answer, FaultClient } from './fault-clients.js';

export interface Outcome {
  /** performance.now() when the request settled. */
  readonly at: number;
  readonly answer?: Answer;
  readonly error?: unknown;
}

export interface Load {
  /** Resolves once a request settles with an answer for which `accept` is true. */
  until(accept: (outcome: Outcome) => boolean): Promise<Outcome>;
  /** Stops the loops and resolves once every request in flight has settled. */
  stop(): Promise<void>;
}

/** Starts the loops; `observe` sees every outcome as it settles (keep counts there, not outcomes: there are many). */
export function startLoad(client: FaultClient, url: string, concurrency: number, observe: (outcome: Outcome) => void): Load {
  const waiters: Array<{ accept: (outcome: Outcome) => boolean; resolve: (outcome: Outcome) => void }> = [];
  let stopped = false;
  const record = (outcome: Outcome): void => {
    observe(outcome);
    for (const waiter of [...waiters]) {
      if (!waiter.accept(outcome)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(outcome);
    }
  };
  const loop = async (): Promise<void> => {
    while (!stopped) {
      try {
        const answer = await client.get(url);
        record({ at: performance.now(), answer });
      } catch (error) {
        record({ at: performance.now(), error });
      }
      await sleep(1);
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    until: (accept) => new Promise((resolve) => waiters.push({ accept, resolve })),
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}
