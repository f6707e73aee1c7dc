/**
 * A real redis-server for the tests and bench/redis-fleet.mjs: our own child process on a free port of 127.0.0.1,
 * never the distro service, with no persistence. Nothing mocks Redis. A missing binary fails with how to install it.
 * redis-cluster.mjs and redis-sentinel.mjs start their processes through `startRedisProcess` here.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

const PACKAGES = { 'redis-server': 'redis-server', 'redis-sentinel': 'redis-sentinel', 'redis-cli': 'redis-tools' };

export function assertInstalled(binary) {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      `${binary} is not installed, and the tests of @mca-oauth/redis need a real one: run ` +
        `\`apt-get update && apt-get install -y ${PACKAGES[binary] ?? binary}\` (.ci/run does this on a fresh machine).`,
    );
  }
}

export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

const running = (child) => child.exitCode === null && child.signalCode === null;

/** Spawns one process and waits for `readyWhen` in its output; 'port-taken' when another process had the port. */
async function spawnReady(binary, args, readyWhen) {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = await new Promise((resolve) => {
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.includes(readyWhen)) resolve(true);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => resolve(false));
  });
  if (!ready) {
    if (output.includes('Address already in use')) return 'port-taken';
    throw new Error(`${binary} ${args.join(' ')} did not start:\n${output}`);
  }
  // The output is no longer needed; unread pipes could block the server once they fill.
  child.stdout.resume();
  child.stderr.resume();
  return child;
}

/**
 * Starts `binary` with `args(ports)` on `portCount` free ports of 127.0.0.1, trying others when another process
 * takes one first. `restart()` starts it again on the same ports with the same arguments (a node that rejoins).
 */
export async function startRedisProcess({ binary = 'redis-server', portCount = 1, args, readyWhen = 'Ready to accept connections' }) {
  assertInstalled(binary);
  let ports;
  let child = 'port-taken';
  for (let attempt = 0; attempt < 5 && child === 'port-taken'; attempt += 1) {
    ports = [];
    while (ports.length < portCount) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    child = await spawnReady(binary, args(ports), readyWhen);
  }
  if (child === 'port-taken') throw new Error(`${binary} found no free port in 5 attempts`);
  const signal = (name) => {
    if (running(child)) child.kill(name);
  };
  const end = async (name) => {
    if (!running(child)) return;
    const exited = once(child, 'exit');
    child.kill(name);
    await exited;
  };
  return {
    port: ports[0],
    ports,
    get running() {
      return running(child);
    },
    stop: async () => {
      signal('SIGCONT'); // a paused server would not act on SIGTERM
      await end('SIGTERM');
    },
    kill: () => end('SIGKILL'),
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    restart: async () => {
      if (running(child)) throw new Error(`${binary} on port ${ports[0]} is still running`);
      const again = await spawnReady(binary, args(ports), readyWhen);
      if (again === 'port-taken') throw new Error(`${binary}: port ${ports[0]} was taken while it was down`);
      child = again;
    },
  };
}

/** Arguments every redis-server of the tests shares: loopback only, no persistence, in the foreground. */
export const EPHEMERAL = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];

export function startRedisServer() {
  return startRedisProcess({ args: ([port]) => ['--port', String(port), ...EPHEMERAL] });
}

/** Resolves once the client is ready; a connection reset on the way is retried by ioredis itself, within a bound. */
export function whenReady(client, what, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.disconnect();
      reject(new Error(`${what} was not ready within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function connectTo(server) {
  const redis = new Redis({ host: '127.0.0.1', port: server.port, enableOfflineQueue: false, commandTimeout: 1000, maxRetriesPerRequest: 1 });
  // Failures reach the caller per command; without a listener ioredis would print every reconnect attempt.
  redis.on('error', () => undefined);
  // Waits for 'ready' rather than `connect()`, which fails on the first reset: ioredis retries that itself.
  await whenReady(redis, `Redis on port ${server.port}`);
  return redis;
}

/** Disconnects and waits until the socket is really gone, so no handle outlives a test. */
export async function disconnectFrom(redis) {
  // Only a client with a socket emits 'end'; one waiting to reconnect (its Redis died) just drops its timer.
  const hasSocket = ['connecting', 'connect', 'ready'].includes(redis.status);
  const ended = hasSocket ? once(redis, 'end') : undefined;
  redis.disconnect();
  await ended;
}
