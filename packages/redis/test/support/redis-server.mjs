/**
 * A real redis-server for the tests and bench/redis-fleet.mjs: our own child process on a free port of 127.0.0.1,
 * never the distro service, with no persistence. Nothing mocks Redis. A missing binary fails with how to install it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

const MISSING = 'redis-server is not installed, and the tests of @mca-oauth/redis need a real one: run ' +
  '`apt-get update && apt-get install -y redis-server` (.ci/run does this on a fresh machine).';

function assertInstalled() {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) throw new Error(MISSING);
}

async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

const running = (child) => child.exitCode === null && child.signalCode === null;

async function startOn(port) {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const ready = await new Promise((resolve) => {
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve(true);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => resolve(false));
  });
  if (!ready) {
    if (output.includes('Address already in use')) return 'port-taken';
    throw new Error(`redis-server did not start on port ${port}:\n${output}`);
  }
  // The output is no longer needed; unread pipes could block the server once they fill.
  child.stdout.resume();
  child.stderr.resume();
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
    port,
    stop: async () => {
      signal('SIGCONT'); // a paused server would not act on SIGTERM
      await end('SIGTERM');
    },
    kill: () => end('SIGKILL'),
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
  };
}

export async function startRedisServer() {
  assertInstalled();
  // Another process may take the free port before redis-server binds it: try a few.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const server = await startOn(await freePort());
    if (server !== 'port-taken') return server;
  }
  throw new Error('redis-server found no free port in 5 attempts');
}

export async function connectTo(server) {
  const redis = new Redis({ host: '127.0.0.1', port: server.port, enableOfflineQueue: false, commandTimeout: 1000, maxRetriesPerRequest: 1 });
  // Failures reach the caller per command; without a listener ioredis would print every reconnect attempt.
  redis.on('error', () => undefined);
  // Waits for 'ready' rather than `connect()`, which fails on the first reset: ioredis retries that itself.
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.disconnect();
      reject(new Error(`Redis on port ${server.port} was not ready within 10 s`));
    }, 10_000);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
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
