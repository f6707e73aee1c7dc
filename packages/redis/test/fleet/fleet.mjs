/**
 * Starts a fleet of worker processes (worker.mjs) and drives them over IPC: the fleet test and
 * bench/redis-fleet.mjs use it. Needs the built packages: it fails at once, saying how to build, without them.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));
const BUILT = ['../../../core/dist/index.js', '../../dist/index.js'].map((path) => fileURLToPath(new URL(path, import.meta.url)));

export function assertBuilt() {
  const missing = BUILT.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(
      `The fleet runs the built packages, and ${missing.join(', ')} is missing: run \`npx pnpm@10.34.8 build\` ` +
        '(or `npx tsup` in packages/core and packages/redis) first. `pnpm test` builds before it runs jest.',
    );
  }
}

function startWorker(config) {
  const child = fork(WORKER, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 0;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('message', (message) => {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiting?.reject(new Error(`fleet worker failed: ${message.error}`));
    else waiting?.resolve(message.result);
  });
  child.once('exit', (code, signal) => {
    for (const { reject } of pending.values()) reject(new Error(`fleet worker exited (${signal ?? code}) before answering`));
    pending.clear();
  });
  const ask = (message) =>
    new Promise((resolve, reject) => {
      const id = (nextId += 1);
      pending.set(id, { resolve, reject });
      child.send({ ...message, id });
    });
  return {
    ready: ask({ type: 'start', config }),
    fire: (scope, count) => ask({ type: 'fire', scope, count }),
    counts: () => ask({ type: 'counts' }),
    storeKeys: () => ask({ type: 'store-keys' }),
    async close() {
      if (child.connected) child.send({ type: 'close' });
      // A worker stuck in a request would keep the fleet open: it gets a bounded grace, then SIGKILL.
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function startFleet({ size, config }) {
  assertBuilt();
  const workers = Array.from({ length: size }, () => startWorker(config));
  try {
    await Promise.all(workers.map((worker) => worker.ready));
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.close()));
    throw error;
  }
  return {
    size,
    fire: (scope, count) => Promise.all(workers.map((worker) => worker.fire(scope, count))),
    counts: () => Promise.all(workers.map((worker) => worker.counts())),
    storeKeys: async () => Object.assign({}, ...(await Promise.all(workers.map((worker) => worker.storeKeys())))),
    close: () => Promise.all(workers.map((worker) => worker.close())).then(() => undefined),
  };
}
