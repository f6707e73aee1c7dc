/**
 * Where one token lives in Redis. Both keys of a token share a hash tag (`{...}`), so in Redis Cluster the value
 * and its lock sit in one slot and can be read in one MGET.
 */
import { createHash } from 'node:crypto';

export interface TokenKeys {
  /** The stored token. */
  readonly value: string;
  /** The lock of its token request. */
  readonly lock: string;
}

/**
 * Core's keys are already hashes of the token options; hashing again gives every key the same short, safe shape
 * even for a provider of one's own whose key is readable, and keeps any secret out of Redis's key space.
 */
export function tokenKeys(prefix: string, key: string): TokenKeys {
  const tag = createHash('sha256').update(key).digest('base64url').slice(0, 22);
  return { value: `${prefix}token:{${tag}}`, lock: `${prefix}lock:{${tag}}` };
}
