/** Types of redis-server.mjs, for the TypeScript tests. */
import type { Redis } from 'ioredis';

export interface RedisServer {
  readonly port: number;
  /** Every port it was given (a cluster node: the client port, then the cluster bus port). */
  readonly ports: readonly number[];
  /** Whether the process is still alive. */
  readonly running: boolean;
  /** Ends it with SIGTERM and waits; does nothing once it has exited. */
  stop(): Promise<void>;
  /** Ends it with SIGKILL (a crash) and waits. */
  kill(): Promise<void>;
  /** SIGSTOP: it keeps its connections and answers nothing, as a hung or partitioned Redis does. */
  pause(): void;
  /** SIGCONT after `pause`; does nothing once it has exited. */
  resume(): void;
  /** Starts it again, on the same ports with the same arguments, after `stop` or `kill`. */
  restart(): Promise<void>;
}

export function assertInstalled(binary: string): void;
export function freePort(): Promise<number>;
export function startRedisProcess(options: {
  binary?: string;
  portCount?: number;
  args: (ports: number[]) => string[];
  readyWhen?: string;
}): Promise<RedisServer>;
export const EPHEMERAL: readonly string[];
/** Starts redis-server on a free port of 127.0.0.1; throws, saying how to install it, when it is missing. */
export function startRedisServer(): Promise<RedisServer>;
export function whenReady(client: { once(event: 'ready', listener: () => void): unknown; disconnect(): void }, what: string, timeoutMs?: number): Promise<void>;
/** A client set up as the README recommends: commands fail at once while Redis is unreachable. */
export function connectTo(server: RedisServer): Promise<Redis>;
/** Disconnects and waits until the socket is really gone, so no handle outlives a test. */
export function disconnectFrom(redis: Redis): Promise<void>;
