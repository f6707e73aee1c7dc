/**
 * A real Sentinel deployment for the scenario tests: one master, one replica and three redis-sentinel processes,
 * all our own children on free ports of 127.0.0.1, the sentinels' config files in a temp dir of their own. A short
 * down-after-milliseconds and failover-timeout keep a failover within a few seconds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callNode, HOST, waitUntil } from './redis-cluster.mjs';
import { EPHEMERAL, startRedisProcess } from './redis-server.mjs';

export const MASTER_NAME = 'mca-oauth';

export async function startRedisSentinel({ sentinelCount = 3, downAfterMs = 1000, failoverTimeoutMs = 5000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mca-redis-sentinel-'));
  const servers = [];
  const sentinels = [];
  const all = () => [...servers, ...sentinels];

  const deployment = {
    name: MASTER_NAME,
    servers,
    sentinels,
    /** The addresses to give ioredis's `sentinels` option. */
    get sentinelAddresses() {
      return sentinels.map((sentinel) => ({ host: HOST, port: sentinel.port }));
    },
    /** The port of the master, as the sentinels see it. */
    async masterPort() {
      const [, port] = await callNode(sentinels.find((s) => s.running).port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME);
      return Number(port);
    },
    /**
     * Every sentinel names the same master, that master says it is one and has a replica linked to it, and each
     * sentinel knows the other sentinels: a failover has settled.
     */
    async waitHealthy(timeoutMs = 30_000) {
      await waitUntil(async () => {
        const named = new Set();
        for (const sentinel of sentinels) {
          const [, port] = await callNode(sentinel.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME);
          named.add(Number(port));
          const master = await callNode(sentinel.port, 'SENTINEL', 'MASTER', MASTER_NAME);
          const field = (name) => master[master.indexOf(name) + 1];
          if (Number(field('num-other-sentinels')) < sentinelCount - 1 || Number(field('num-slaves')) < servers.length - 1) return false;
          if (field('flags') !== 'master') return false;
        }
        if (named.size !== 1) return false;
        const info = await callNode([...named][0], 'INFO', 'replication');
        return info.includes('role:master') && info.includes('connected_slaves:1') && /slave0:.*state=online/.test(info);
      }, 'the Sentinel deployment to be healthy', timeoutMs);
    },
    async close() {
      await Promise.all(all().map((process) => process.kill()));
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    const master = await startRedisProcess({ args: ([port]) => ['--port', String(port), ...EPHEMERAL, '--dir', dir] });
    servers.push(master);
    servers.push(
      await startRedisProcess({ args: ([port]) => ['--port', String(port), ...EPHEMERAL, '--dir', dir, '--replicaof', HOST, String(master.port)] }),
    );
    for (let index = 0; index < sentinelCount; index += 1) {
      sentinels.push(
        await startRedisProcess({
          binary: 'redis-sentinel',
          readyWhen: '+monitor master',
          args: ([port]) => {
            // A sentinel rewrites its config file: one writable file each, in our temp dir.
            const file = join(dir, `sentinel-${port}.conf`);
            writeFileSync(
              file,
              [
                `port ${port}`,
                `bind ${HOST}`,
                `dir ${dir}`,
                `sentinel monitor ${MASTER_NAME} ${HOST} ${master.port} 2`,
                `sentinel down-after-milliseconds ${MASTER_NAME} ${downAfterMs}`,
                `sentinel failover-timeout ${MASTER_NAME} ${failoverTimeoutMs}`,
                `sentinel parallel-syncs ${MASTER_NAME} 1`,
                '',
              ].join('\n'),
            );
            return [file];
          },
        }),
      );
    }
    await deployment.waitHealthy();
  } catch (error) {
    await deployment.close();
    throw error;
  }
  return deployment;
}
