/** Types of clients.mjs, for the TypeScript tests. */
import type { Cluster, Redis } from 'ioredis';

export type RedisTarget =
  | { port: number }
  | { cluster: Array<{ host: string; port: number }> }
  | { sentinels: Array<{ host: string; port: number }>; name: string };

export function createClient(target: RedisTarget, options?: { commandTimeoutMs?: number }): Redis | Cluster;
export function connectClient(target: RedisTarget, options?: { commandTimeoutMs?: number }): Promise<Redis | Cluster>;
export function closeClient(client: Redis | Cluster): Promise<void>;
