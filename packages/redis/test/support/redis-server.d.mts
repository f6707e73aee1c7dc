/** Types of redis-server.mjs, for the TypeScript tests. */
import type { Redis } from 'ioredis';

export interface RedisServer {
  readonly port: number;
  /** Ends it with SIGTERM and waits; does nothing once it has exited. */
  stop(): Promise<void>;
  /** Ends it with SIGKILL (a crash) and waits. */
  kill(): Promise<void>;
  /** SIGSTOP: it keeps its connections and answers nothing, as a hung or partitioned Redis does. */
  pause(): void;
  /** SIGCONT after `pause`; does nothing once it has exited. */
  resume(): void;
}

/** Starts redis-server on a free port of 127.0.0.1; throws, saying how to install it, when it is missing. */
export function startRedisServer(): Promise<RedisServer>;
/** A client set up as the README recommends: commands fail at once while Redis is unreachable. */
export function connectTo(server: RedisServer): Promise<Redis>;
/** Disconnects and waits until the socket is really gone, so no handle outlives a test. */
export function disconnectFrom(redis: Redis): Promise<void>;
