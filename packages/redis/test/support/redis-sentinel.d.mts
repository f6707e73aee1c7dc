/** Types of redis-sentinel.mjs, for the TypeScript tests. */
import type { RedisServer } from './redis-server.mjs';

export const MASTER_NAME: string;

export interface RedisSentinel {
  readonly name: string;
  readonly servers: readonly RedisServer[];
  readonly sentinels: readonly RedisServer[];
  readonly sentinelAddresses: Array<{ host: string; port: number }>;
  masterPort(): Promise<number>;
  waitHealthy(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function startRedisSentinel(options?: { sentinelCount?: number; downAfterMs?: number; failoverTimeoutMs?: number }): Promise<RedisSentinel>;
