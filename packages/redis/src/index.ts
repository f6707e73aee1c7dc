/** @mca-oauth/redis: a token store on Redis, so that replicas share tokens and make one token request per token. */
export { createRedisTokenStore } from './create-redis-token-store.js';
export type { RedisTokenStoreOptions } from './options.js';
export type { EncryptionKey } from './token-cipher.js';
export { RedisStoreError, RedisStoreErrorCodes } from './errors.js';
export type { RedisStoreErrorCode } from './errors.js';
