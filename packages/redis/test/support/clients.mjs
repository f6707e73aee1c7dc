/**
 * The ioredis clients of the fleet workers, the scenario tests and bench/redis-fleet.mjs, with the settings the
 * README recommends: a dead or failing-over Redis fails a command fast (the store then asks the token server), and
 * nothing is queued while a connection is down.
 */
import { Cluster, Redis } from 'ioredis';
import { whenReady } from './redis-server.mjs';

/**
 * `target`: `{ port }` (standalone), `{ cluster: [{ host, port }, ...] }` or `{ sentinels: [{ host, port }, ...], name }`.
 * `commandTimeoutMs` is the store's; the client's own timeout is a backstop above it.
 */
export function createClient(target, { commandTimeoutMs = 500 } = {}) {
  const node = { enableOfflineQueue: false, commandTimeout: 2 * commandTimeoutMs, maxRetriesPerRequest: 1, connectTimeout: 1000 };
  let client;
  if (target.cluster !== undefined) {
    client = new Cluster(target.cluster, {
      // Never queue while the cluster is unreachable or its slot map is being refreshed: fail, and the store falls back.
      enableOfflineQueue: false,
      // Locks and tokens must be read where they are written: a replica may lag behind its master.
      scaleReads: 'master',
      // MOVED/ASK, TRYAGAIN, CLUSTERDOWN and a closed connection are retried this often (maxRedirections, 16), each
      // after this delay and a refresh of the slot map: long enough to outlast a failover of a few seconds.
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 100,
      // Reconnects a cluster that was unreachable as a whole, for as long as it takes, at most once a second.
      clusterRetryStrategy: (times) => Math.min(100 * times, 1000),
      slotsRefreshTimeout: 1000,
      redisOptions: node,
    });
  } else if (target.sentinels !== undefined) {
    client = new Redis({
      sentinels: target.sentinels,
      name: target.name,
      ...node,
      // After a failover the old master may still be connected as a replica for a moment: reconnect (and so ask the
      // sentinels again) instead of failing every write with READONLY.
      reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
      sentinelRetryStrategy: (times) => Math.min(100 * times, 1000),
    });
  } else {
    client = new Redis({ host: '127.0.0.1', port: target.port, ...node });
  }
  // Failures reach the caller per command; without a listener ioredis would print every reconnect attempt.
  client.on('error', () => undefined);
  return client;
}

/** A client from `createClient`, once it is ready. */
export async function connectClient(target, options) {
  const client = createClient(target, options);
  await whenReady(client, 'Redis');
  return client;
}

/** Disconnects a Redis or a Cluster and waits until its sockets are gone, so no handle outlives a test. */
export async function closeClient(client) {
  if (client.status === 'end') return;
  let timer;
  // A client waiting to reconnect has no socket and may never emit 'end': bounded.
  const ended = new Promise((resolve) => {
    timer = setTimeout(resolve, 2000);
    client.once('end', resolve);
  });
  client.disconnect();
  await ended;
  clearTimeout(timer);
}
