/**
 * The errors of the Redis token store. Core catches every one of them, goes on without the store, and publishes
 * them on `mca-oauth:store:error` (`code`, `message`): they never reach a request. Check `err.code`, not
 * `instanceof`: two copies of this package may be loaded.
 */

import { McaError, McaErrorCodes } from '@mca-oauth/core';

export const RedisStoreErrorCodes = {
  /** A Redis command did not answer within `commandTimeoutMs`. */
  TIMEOUT: 'MCA_STORE_TIMEOUT',
  /** Redis refused or failed a command (connection closed, offline queue off, ACL, ...): see `cause`. */
  UNAVAILABLE: 'MCA_STORE_UNAVAILABLE',
  /**
   * A stored value could not be read: not ours, another version's, encrypted with a key we do not have, altered,
   * or plain text while `encryptionKey` is set. It is treated as no token, and the next one stored replaces it.
   */
  UNREADABLE: 'MCA_STORE_UNREADABLE',
} as const;

export type RedisStoreErrorCode = (typeof RedisStoreErrorCodes)[keyof typeof RedisStoreErrorCodes];

export class RedisStoreError extends Error {
  readonly code: RedisStoreErrorCode;

  constructor(code: RedisStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedisStoreError';
    this.code = code;
  }
}

/** A caller's mistake in the options: an McaError `MCA_INVALID_OPTION`, as every package of mca-oauth throws (issue #14). */
export function invalidOption(option: string, problem: string): McaError {
  return new McaError(McaErrorCodes.INVALID_OPTION, `createRedisTokenStore: option '${option}' ${problem}.`);
}
