/** Types of redis-cluster.mjs, for the TypeScript tests. */
import type { RedisServer } from './redis-server.mjs';

export const HOST: '127.0.0.1';

export interface ClusterNode {
  id: string;
  port: number;
  master: boolean;
  failed: boolean;
  masterId?: string;
  connected: boolean;
  slots: string[];
}

export interface RedisCluster {
  readonly nodes: readonly RedisServer[];
  readonly startupNodes: Array<{ host: string; port: number }>;
  node(port: number): RedisServer | undefined;
  call(port: number, ...command: Array<string | number>): Promise<unknown>;
  topology(): Promise<ClusterNode[]>;
  slotOf(key: string): Promise<number>;
  ownersOf(slot: number): Promise<{ master: number; replica: number | undefined; masterId: string }>;
  waitHealthy(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function redisCli(args: string[]): Promise<string>;
export function callNode(port: number, ...command: Array<string | number>): Promise<unknown>;
export function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs?: number): Promise<void>;
export function startRedisCluster(options?: { masters?: number; replicasPerMaster?: number; nodeTimeoutMs?: number }): Promise<RedisCluster>;
