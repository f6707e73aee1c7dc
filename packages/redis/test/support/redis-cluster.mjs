/**
 * A real Redis Cluster for the scenario tests and bench/redis-fleet.mjs: our own redis-server processes in cluster
 * mode on free ports of 127.0.0.1, their nodes.conf in a temp dir of their own, joined by
 * `redis-cli --cluster create`. A short cluster-node-timeout keeps a failover within a couple of seconds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { assertInstalled, EPHEMERAL, startRedisProcess } from './redis-server.mjs';

export const HOST = '127.0.0.1';

/** Runs redis-cli with `args`; rejects with its output when it fails. */
export function redisCli(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`redis-cli ${args.join(' ')} failed (${code}):\n${output}`))));
  });
}

/** One command on one node, on a connection of its own that never retries: for setup and inspection only. */
export async function callNode(port, ...command) {
  const redis = new Redis({ host: HOST, port, lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000, commandTimeout: 5000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await redis.call(...command);
  } finally {
    redis.disconnect();
  }
}

/** Keeps asking until `check` holds; bounded, so a cluster that never settles fails the test instead of hanging. */
export async function waitUntil(check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (last error: ${last.message})` : ''}`);
    await sleep(100);
  }
}

/** `CLUSTER NODES` as objects: port, id, role, whether it failed, its master's id, the slots it serves. */
function parseNodes(text) {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id, address, flags, masterId, , , , link, ...slots] = line.split(' ');
      const port = Number(address.split('@')[0].split(':')[1]);
      return {
        id,
        port,
        master: flags.includes('master'),
        failed: flags.includes('fail'),
        masterId: masterId === '-' ? undefined : masterId,
        connected: link === 'connected',
        slots: slots.filter((range) => !range.startsWith('[')),
      };
    });
}

const servesSlot = (node, slot) =>
  node.slots.some((range) => {
    const [from, to = from] = range.split('-').map(Number);
    return slot >= from && slot <= to;
  });

export async function startRedisCluster({ masters = 3, replicasPerMaster = 1, nodeTimeoutMs = 1000 } = {}) {
  assertInstalled('redis-cli');
  const dir = mkdtempSync(join(tmpdir(), 'mca-redis-cluster-'));
  const nodes = [];
  const startNode = () =>
    startRedisProcess({
      portCount: 2, // the client port and the cluster bus port (cluster-port, Redis 7)
      args: ([port, busPort]) => [
        '--port', String(port), '--cluster-port', String(busPort), ...EPHEMERAL, '--dir', dir,
        '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', String(nodeTimeoutMs),
      ],
    });
  const live = () => nodes.filter((node) => node.running);

  const cluster = {
    nodes,
    /** The addresses to give ioredis's `Cluster`. */
    get startupNodes() {
      return nodes.map((node) => ({ host: HOST, port: node.port }));
    },
    node: (port) => nodes.find((node) => node.port === port),
    call: callNode,
    async topology() {
      const [first] = live();
      if (first === undefined) throw new Error('no node of the cluster is running');
      return parseNodes(await callNode(first.port, 'CLUSTER', 'NODES'));
    },
    async slotOf(key) {
      return Number(await callNode(live()[0].port, 'CLUSTER', 'KEYSLOT', key));
    },
    /** The port of the healthy master that serves `slot`, and of its replica. */
    async ownersOf(slot) {
      const topology = await cluster.topology();
      const master = topology.find((node) => node.master && !node.failed && servesSlot(node, slot));
      if (master === undefined) throw new Error(`no master serves slot ${slot}`);
      const replica = topology.find((node) => node.masterId === master.id && !node.failed);
      return { master: master.port, replica: replica?.port, masterId: master.id };
    },
    /**
     * Every running node says cluster_state:ok, they agree on who serves which slots, and every replica's link to
     * its master is up: a failover or a restart has settled.
     */
    async waitHealthy(timeoutMs = 30_000) {
      await waitUntil(async () => {
        const views = [];
        for (const node of live()) {
          if (!(await callNode(node.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
          const view = parseNodes(await callNode(node.port, 'CLUSTER', 'NODES'));
          views.push(JSON.stringify(view.filter((n) => n.master && n.slots.length > 0).map((n) => [n.port, n.slots.join()]).sort()));
          const self = view.find((n) => n.port === node.port);
          if (!self.master && !(await callNode(node.port, 'INFO', 'replication')).includes('master_link_status:up')) return false;
        }
        return views.length > 0 && views.every((view) => view === views[0]);
      }, 'the Redis Cluster to be healthy', timeoutMs);
    },
    /** SIGTERM to every node, keeping their nodes.conf: `start()` brings the same cluster back. */
    stop: () => Promise.all(nodes.map((node) => node.stop())),
    async start() {
      for (const node of nodes) if (!node.running) await node.restart();
      await cluster.waitHealthy();
    },
    /** Stops every node and removes the temp dir; safe to call twice and after a failed start. */
    async close() {
      await Promise.all(nodes.map((node) => node.kill()));
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    for (let index = 0; index < masters * (1 + replicasPerMaster); index += 1) nodes.push(await startNode());
    await redisCli(['--cluster', 'create', ...nodes.map((node) => `${HOST}:${node.port}`), '--cluster-replicas', String(replicasPerMaster), '--cluster-yes']);
    await cluster.waitHealthy();
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}
