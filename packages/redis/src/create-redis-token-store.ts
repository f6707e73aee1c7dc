/** `createRedisTokenStore`: validates the options once, then returns the store to pass as core's `store` option. */
import type { SharedTokenStore } from '@mca-oauth/core';
import { checkClient } from './client-check.js';
import { invalidOption } from './errors.js';
import { resolveStoreOptions, type RedisTokenStoreOptions } from './options.js';
import { RedisTokenStore } from './redis-token-store.js';
import { TokenCipher } from './token-cipher.js';
import { TokenCodec } from './token-codec.js';

/**
 * A token store on Redis that replicas share: pass it as `store` in any adapter's options. Throws a TypeError
 * (`ERR_INVALID_ARG_VALUE`) naming the option when an option is wrong.
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): SharedTokenStore {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'must be an object');
  const redis = checkClient(options.redis);
  if (options.encryptionKey === undefined && options.decryptionKeys !== undefined) {
    throw invalidOption('decryptionKeys', 'needs encryptionKey: old keys only decrypt');
  }
  const cipher = options.encryptionKey === undefined ? undefined : new TokenCipher(options.encryptionKey, options.decryptionKeys);
  return new RedisTokenStore(redis, new TokenCodec(cipher), resolveStoreOptions(options));
}
