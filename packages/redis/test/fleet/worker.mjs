/**
 * One process of a simulated fleet, driven over IPC by fleet.mjs (the fleet test and bench/redis-fleet.mjs).
 * Plain JavaScript on the BUILT packages, as a deployed app runs them: no TypeScript, no jest module mapping.
 */
import diagnostics from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { CHANNEL_NAMES, closeIdleTokenConnections, createStamper } from '../../../core/dist/index.js';
import { createRedisTokenStore } from '../../dist/index.js';

const counts = { adopted: 0, storeErrors: 0, tokenLoads: 0 };
diagnostics.subscribe(CHANNEL_NAMES.storeAdopt, () => (counts.adopted += 1));
diagnostics.subscribe(CHANNEL_NAMES.storeError, () => (counts.storeErrors += 1));
diagnostics.subscribe(CHANNEL_NAMES.tokenRequestEnd, () => (counts.tokenLoads += 1));

let config;
let redis;
let store;
const stampers = new Map();

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
      ...(store !== undefined && { store }),
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

/** Resolves once the client is ready; a connection reset on the way is retried by ioredis itself, within a bound. */
function ready(client, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis was not ready within ${timeoutMs} ms`)), timeoutMs);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function start(message) {
  config = message.config;
  if (config.redisPort !== undefined) {
    // As the README recommends: fail at once while Redis is unreachable, never queue.
    const commandTimeoutMs = config.commandTimeoutMs ?? 500;
    redis = new Redis({ host: '127.0.0.1', port: config.redisPort, enableOfflineQueue: false, commandTimeout: 2 * commandTimeoutMs, maxRetriesPerRequest: 1 });
    // Failures reach us per command (as mca-oauth:store:error); without a listener ioredis would print each one.
    redis.on('error', () => undefined);
    await ready(redis, 10_000);
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
      return process.send({ type: 'reply', id: message.id, result: { ...counts } });
    case 'close':
      process.disconnect(); // fires 'disconnect', which shuts down
  }
});
