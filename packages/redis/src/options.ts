/** The options of `createRedisTokenStore`, documented once here; the README points at them. */
import type { Cluster, Redis } from 'ioredis';
import { invalidOption } from './errors.js';
import type { EncryptionKey } from './token-cipher.js';

/** Every name `RedisTokenStoreOptions` has: another is a typo, refused with the nearest of these. */
export const STORE_OPTION_NAMES = [
  'redis', 'encryptionKey', 'decryptionKeys', 'keyPrefix', 'commandTimeoutMs', 'lockLeaseMs', 'waitTimeoutMs', 'pollIntervalMs',
] as const;

export interface RedisTokenStoreOptions {
  /**
   * The ioredis client for commands: a `Redis` (standalone, or Sentinel with `sentinels`) or a `Cluster`. You own
   * it: the store never connects or quits it. Create it with `enableOfflineQueue: false` and a small
   * `maxRetriesPerRequest`, so that commands fail at once while Redis is unreachable instead of queueing, and a
   * `commandTimeout` above `commandTimeoutMs` as a backstop (the store's own bound does not mistake a busy event
   * loop for a slow Redis; the client's does). The store needs GET, SET, MGET and EVAL on keys under `keyPrefix`.
   */
  redis: Redis | Cluster;
  /**
   * Encrypts tokens at rest with AES-256-GCM: 32 random bytes (e.g. `Buffer.from(process.env.TOKEN_KEY, 'base64')`)
   * or a secret `KeyObject`. With it, plain-text values are refused, so whoever can write to Redis cannot plant a
   * token. Every process of the fleet needs the same key. Default: none (tokens stored as plain text: protect Redis
   * with ACLs and TLS). Cost: about a microsecond per stored or read token.
   */
  encryptionKey?: EncryptionKey;
  /**
   * Older keys that still decrypt (never encrypt), for rotating `encryptionKey` without a gap: deploy the new key
   * with the old one here, and drop the old one once tokens stored with it have expired. Default: none.
   */
  decryptionKeys?: readonly EncryptionKey[];
  /**
   * Prefix of every key the store writes: `<prefix>token:{<hash>}` and `<prefix>lock:{<hash>}`. Change it to keep
   * two fleets that share a Redis apart, or to fit your ACL key patterns. Default: `mca-oauth:v1:`.
   */
  keyPrefix?: string;
  /**
   * The longest one Redis command may take before the store gives up on it (MCA_STORE_TIMEOUT) and the token is
   * requested directly. It bounds the delay a slow or dead Redis adds. Default: 500. Range: 1 to 60000.
   */
  commandTimeoutMs?: number;
  /**
   * How long the lock of one token request lasts if its holder never releases it (it crashed). Keep it above your
   * token request's `timeoutMs` (core's default: 10000), or a slow but live request may lose its lock and a second
   * process request the same token. Default: 15000. Range: 100 to 600000.
   */
  lockLeaseMs?: number;
  /**
   * How long a process waits for the lock holder's token before it requests its own. A cold request may wait this
   * long if the holder hangs; a shorter wait risks more token requests when the token server is slow.
   * Default: 5000. Range: 1 to 600000.
   */
  waitTimeoutMs?: number;
  /**
   * How often a waiting process reads the token and the lock (one MGET), with ±50% jitter so a fleet does not
   * poll in step. Default: 25. Range: 1 to 10000.
   */
  pollIntervalMs?: number;
}

export interface ResolvedStoreOptions {
  readonly keyPrefix: string;
  readonly commandTimeoutMs: number;
  readonly lockLeaseMs: number;
  readonly waitTimeoutMs: number;
  readonly pollIntervalMs: number;
}

function integer(option: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidOption(option, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function resolveStoreOptions(options: RedisTokenStoreOptions): ResolvedStoreOptions {
  const keyPrefix = options.keyPrefix ?? 'mca-oauth:v1:';
  // A brace in the prefix would become the hash tag and put every token in one Cluster slot.
  if (typeof keyPrefix !== 'string' || /[{}]/.test(keyPrefix)) throw invalidOption('keyPrefix', 'must be a string without { or }');
  return {
    keyPrefix,
    commandTimeoutMs: integer('commandTimeoutMs', options.commandTimeoutMs, 500, 1, 60_000),
    lockLeaseMs: integer('lockLeaseMs', options.lockLeaseMs, 15_000, 100, 600_000),
    waitTimeoutMs: integer('waitTimeoutMs', options.waitTimeoutMs, 5_000, 1, 600_000),
    pollIntervalMs: integer('pollIntervalMs', options.pollIntervalMs, 25, 1, 10_000),
  };
}
