/**
 * One process of a simulated fleet, driven over IPC by fleet.mjs (the fleet test and bench/redis-fleet.mjs).
 * Plain JavaScript on the BUILT packages, as a deployed app runs them: no TypeScript, no jest module mapping.
 */
import diagnostics from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { CHANNEL_NAMES, closeIdleTokenConnections, createStamper } from '../../../core/dist/index.js';
import { createRedisTokenStore } from '../../dist/index.js';
import { connectClient } from '../support/clients.mjs';

const counts = { adopted: 0, storeErrors: 0, tokenLoads: 0, storeCommands: 0 };
diagnostics.subscribe(CHANNEL_NAMES.storeAdopt, () => (counts.adopted += 1));
/** The distinct store failures (operation, code, message: never a token), for a test to show what went wrong. */
const storeFailures = new Set();
diagnostics.subscribe(CHANNEL_NAMES.storeError, ({ operation, code, message }) => {
  counts.storeErrors += 1;
  if (storeFailures.size < 20) storeFailures.add(`${operation} ${code}: ${message}`);
});
diagnostics.subscribe(CHANNEL_NAMES.tokenRequestEnd, () => (counts.tokenLoads += 1));

let config;
let redis;
let store;
const stampers = new Map();
/** Core's cache key of each scope's token, as the store saw it: the tests find its Redis slot from it. */
const storeKeys = new Map();

/** The store, noting which key each scope's stamper asks for. */
function storeFor(scope) {
  const note = (key) => storeKeys.set(scope, key);
  return {
    get: (key) => (note(key), store.get(key)),
    set: (key, token, ttlMs) => store.set(key, token, ttlMs),
    lock: (key) => store.lock(key),
    waitForToken: (key, isWanted) => store.waitForToken(key, isWanted),
  };
}

function stamperFor(scope) {
  let stamper = stampers.get(scope);
  if (stamper === undefined) {
    stamper = createStamper({
      match: config.apiUrl,
      tokenEndpoint: config.tokenEndpoint,
      clientId: config.clientId,
      secret: config.secret,
      scope,
      cacheSize: 10,
      env: {},
      ...(store !== undefined && { store: storeFor(scope) }),
    });
    stampers.set(scope, stamper);
  }
  return stamper;
}

/** `count` concurrent calls, as many requests arriving at once: their latencies, the distinct values, the failures. */
async function fire(scope, count) {
  const stamper = stamperFor(scope);
  const url = `${config.apiUrl}/resource`;
  const latencies = new Array(count);
  const values = new Set();
  const errors = new Set();
  let failed = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const started = performance.now();
      try {
        values.add(await stamper.authorizationFor(url));
      } catch (error) {
        failed += 1;
        errors.add(error?.code ?? String(error));
      }
      latencies[index] = performance.now() - started;
    }),
  );
  return { scope, ok: count - failed, failed, values: [...values], errors: [...errors], latencies };
}

async function start(message) {
  config = message.config;
  const target =
    config.redisPort !== undefined ? { port: config.redisPort } : config.redisCluster !== undefined ? { cluster: config.redisCluster } : config.redisSentinel;
  if (target !== undefined) {
    // As the README recommends: fail at once while Redis is unreachable, never queue.
    const commandTimeoutMs = config.commandTimeoutMs ?? 500;
    redis = await connectClient(target, { commandTimeoutMs });
    // Counts the store's commands (a Cluster's redirections and retries are below this, and not counted).
    const send = redis.sendCommand.bind(redis);
    redis.sendCommand = (...args) => ((counts.storeCommands += 1), send(...args));
    store = createRedisTokenStore({
      redis,
      commandTimeoutMs,
      ...(config.waitTimeoutMs !== undefined && { waitTimeoutMs: config.waitTimeoutMs }),
      ...(config.encryptionKey !== undefined && { encryptionKey: Buffer.from(config.encryptionKey, 'base64') }),
    });
  }
}

function shutDown() {
  redis?.disconnect();
  closeIdleTokenConnections();
}

// A parent that dies (or a bench that hits its deadline) must not leave workers running: losing IPC ends them.
process.on('disconnect', shutDown);

process.on('message', async (message) => {
  switch (message.type) {
    case 'start':
      try {
        await start(message);
        return process.send({ type: 'reply', id: message.id });
      } catch (error) {
        return process.send({ type: 'reply', id: message.id, error: String(error?.message ?? error) });
      }
    case 'fire':
      return process.send({ type: 'reply', id: message.id, result: await fire(message.scope, message.count) });
    case 'counts':
      return process.send({ type: 'reply', id: message.id, result: { ...counts, storeFailures: [...storeFailures] } });
    case 'store-keys':
      return process.send({ type: 'reply', id: message.id, result: Object.fromEntries(storeKeys) });
    case 'close':
      process.disconnect(); // fires 'disconnect', which shuts down
  }
});
