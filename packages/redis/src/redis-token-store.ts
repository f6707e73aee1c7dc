/**
 * The SharedTokenStore on Redis: a value per token with a TTL, a lock per token request (SET NX PX in Lua, released
 * by compare-and-delete), and waiting by polling the value and the lock in one MGET.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IssuedToken, SharedTokenLock, SharedTokenStore, SharedTokenWait } from '@mca-oauth/core';
import type { Cluster, Redis } from 'ioredis';
import { boundedCommand } from './bounded-command.js';
import type { ResolvedStoreOptions } from './options.js';
import { tokenKeys, type TokenKeys } from './redis-keys.js';
import { RELEASE_LOCK_SCRIPT, TAKE_LOCK_SCRIPT } from './lock-scripts.js';
import type { TokenCodec } from './token-codec.js';

export class RedisTokenStore implements SharedTokenStore {
  readonly #redis: Redis | Cluster;
  readonly #codec: TokenCodec;
  readonly #options: ResolvedStoreOptions;

  constructor(redis: Redis | Cluster, codec: TokenCodec, options: ResolvedStoreOptions) {
    this.#redis = redis;
    this.#codec = codec;
    this.#options = options;
  }

  async get(key: string): Promise<IssuedToken | undefined> {
    const keys = this.#keys(key);
    const text = await this.#command('GET', () => this.#redis.get(keys.value));
    return text === null ? undefined : this.#codec.decode(keys.value, text);
  }

  async set(key: string, token: IssuedToken, ttlMs: number): Promise<void> {
    const keys = this.#keys(key);
    const value = this.#codec.encode(keys.value, token);
    await this.#command('SET', () => this.#redis.set(keys.value, value, 'PX', Math.max(1, Math.floor(ttlMs))));
  }

  async lock(key: string): Promise<SharedTokenLock | undefined> {
    const keys = this.#keys(key);
    // A random value per holder: only the holder can release its lock (compare-and-delete).
    const holder = randomBytes(16).toString('base64url');
    const reply = await this.#command('EVAL lock', () => this.#redis.eval(TAKE_LOCK_SCRIPT, 1, keys.lock, holder, this.#options.lockLeaseMs));
    if (reply !== 1) return undefined;
    return {
      release: async () => {
        await this.#command('EVAL unlock', () => this.#redis.eval(RELEASE_LOCK_SCRIPT, 1, keys.lock, holder));
      },
    };
  }

  /**
   * Polls rather than subscribing: no second connection per process in subscriber mode (and none per shard in
   * Cluster), no lost message to recover from after a reconnect, and one MGET answers both "is the token there"
   * and "is anyone still fetching it". The price is up to one poll interval of delay, only for processes that
   * wait on a cold miss; refreshes ahead of expiry happen in the background.
   */
  async waitForToken(key: string, isWanted: (token: IssuedToken) => boolean): Promise<SharedTokenWait> {
    const keys = this.#keys(key);
    const deadline = Date.now() + this.#options.waitTimeoutMs;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { outcome: 'timeout' };
      await sleep(Math.min(remaining, this.#options.pollIntervalMs * (0.5 + Math.random())));
      const [text, holder] = await this.#command('MGET', () => this.#redis.mget(keys.value, keys.lock));
      const token = text === null || text === undefined ? undefined : this.#readable(keys, text);
      if (token !== undefined && isWanted(token)) return { outcome: 'token', token };
      if (holder === null || holder === undefined) return { outcome: 'released' };
    }
  }

  /** While waiting, an unreadable value counts as none: the holder's token will replace it. */
  #readable(keys: TokenKeys, text: string): IssuedToken | undefined {
    try {
      return this.#codec.decode(keys.value, text);
    } catch {
      return undefined;
    }
  }

  #keys(key: string): TokenKeys {
    return tokenKeys(this.#options.keyPrefix, key);
  }

  #command<T>(name: string, command: () => Promise<T>): Promise<T> {
    return boundedCommand(name, this.#options.commandTimeoutMs, command);
  }
}
