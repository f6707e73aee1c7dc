/** Warns once about a client whose settings let a dead Redis queue commands, as lru-cache warns on risky options. */
import type { Cluster, Redis } from 'ioredis';
import { invalidOption } from './errors.js';

let warned = false;

export function checkClient(redis: unknown): Redis | Cluster {
  const client = redis as Partial<Redis> | null;
  if (typeof client !== 'object' || client === null || typeof client.get !== 'function' || typeof client.eval !== 'function') {
    throw invalidOption('redis', 'must be an ioredis Redis or Cluster client');
  }
  const offlineQueue = (client as { options?: { enableOfflineQueue?: boolean } }).options?.enableOfflineQueue;
  if (offlineQueue !== false && !warned) {
    warned = true;
    // Commands are still bounded by commandTimeoutMs; but a queued lock may run after we gave up on it, and hold
    // the other processes back until its lease ends.
    process.emitWarning(
      'The Redis client given to createRedisTokenStore queues commands while disconnected. Create it with ' +
        '{ enableOfflineQueue: false, commandTimeout: 1000, maxRetriesPerRequest: 1 } so a dead Redis fails fast.',
      { type: 'McaRedisWarning', code: 'MCA_REDIS_OFFLINE_QUEUE' },
    );
  }
  return redis as Redis | Cluster;
}
