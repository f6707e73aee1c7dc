/** `createRedisTokenStore`: validates the options once, then returns the store to pass as core's `store` option. */
import { checkOptionNames, type SharedTokenStore } from '@mca-oauth/core';
import { checkClient } from './client-check.js';
import { invalidOption } from './errors.js';
import { STORE_OPTION_NAMES, resolveStoreOptions, type RedisTokenStoreOptions } from './options.js';
import { RedisTokenStore } from './redis-token-store.js';
import { TokenCipher } from './token-cipher.js';
import { TokenCodec } from './token-codec.js';

/**
 * A token store on Redis that replicas share: pass it as `store` in any adapter's options. Throws an McaError
 * naming the option when an option is wrong: `MCA_INVALID_OPTION`, or `MCA_UNKNOWN_OPTION` for a name it does not take.
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): SharedTokenStore {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'must be an object such as { redis }');
  if (typeof (options as { eval?: unknown }).eval === 'function') {
    throw invalidOption('options', 'must be an object such as { redis: client }, not the client itself');
  }
  checkOptionNames(options, STORE_OPTION_NAMES);
  const redis = checkClient(options.redis);
  if (options.encryptionKey === undefined && options.decryptionKeys !== undefined) {
    throw invalidOption('decryptionKeys', 'needs encryptionKey: old keys only decrypt');
  }
  const cipher = options.encryptionKey === undefined ? undefined : new TokenCipher(options.encryptionKey, options.decryptionKeys);
  return new RedisTokenStore(redis, new TokenCodec(cipher), resolveStoreOptions(options));
}
