/** Types of fleet.mjs, for the TypeScript tests that drive it. */

export interface FleetConfig {
  /** A standalone Redis. Omit this, `redisCluster` and `redisSentinel` to run without a shared store (the baseline). */
  redisPort?: number;
  /** A Redis Cluster's startup nodes. */
  redisCluster?: Array<{ host: string; port: number }>;
  /** A Sentinel deployment: its sentinels and the master's name. */
  redisSentinel?: { sentinels: Array<{ host: string; port: number }>; name: string };
  tokenEndpoint: string;
  clientId: string;
  secret: string;
  /** A URL prefix the stampers match; nothing is sent to it. */
  apiUrl: string;
  /** Base64 of 32 bytes, to encrypt tokens at rest. */
  encryptionKey?: string;
  /** The store's `commandTimeoutMs` (the client's `commandTimeout` is twice it). Default: 500. */
  commandTimeoutMs?: number;
  /** The store's `waitTimeoutMs`. Default: the store's, 5000. */
  waitTimeoutMs?: number;
}

export interface FireResult {
  scope: string;
  ok: number;
  failed: number;
  /** The distinct Authorization values the calls got. */
  values: string[];
  /** The distinct error codes of failed calls. */
  errors: string[];
  /** Milliseconds each call took, in call order. */
  latencies: number[];
}

export interface WorkerCounts {
  /** `mca-oauth:store:adopt` events: tokens taken from the store. */
  adopted: number;
  /** `mca-oauth:store:error` events. */
  storeErrors: number;
  /** `mca-oauth:token:end` events: tokens the cache loaded (from the store or the token server). */
  tokenLoads: number;
  /** Commands the store sent to its ioredis client (GET, SET, MGET, EVAL; a Cluster's redirections not counted). */
  storeCommands: number;
  /** The distinct store failures, as `<operation> <code>: <message>` (at most 20). */
  storeFailures: string[];
}

export interface Fleet {
  readonly size: number;
  /** Every worker makes `count` concurrent `authorizationFor` calls for `scope`'s token at once. */
  fire(scope: string, count: number): Promise<FireResult[]>;
  counts(): Promise<WorkerCounts[]>;
  /** Core's cache key of each scope's token (the key passed to the store), by scope, from all workers. */
  storeKeys(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export function assertBuilt(): void;
export function startFleet(options: { size: number; config: FleetConfig }): Promise<Fleet>;
