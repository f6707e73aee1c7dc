/**
 * The contract between core and a store that processes share tokens through (Redis in `@mca-oauth/redis`).
 * A store gives four small operations; the algorithm that uses them (adopt, lock, wait, fall back) lives once, in
 * `withSharedStore`, so every store gets the same guarantees.
 */
import type { IssuedToken } from '../providers/issued-token.js';

/**
 * A store that several processes share, so that a fleet of replicas asks the token server once per token instead
 * of once per process. The in-process cache stays the first level: a store is asked only when a process needs a
 * token it does not have (a cold miss, a refresh ahead of expiry, or a token a protected API rejected), never on
 * the hot path.
 *
 * Every operation may reject (store down, timed out, unreadable value): core then goes on without the store and
 * publishes on `mca-oauth:store:error`; a request never fails because of the store. An implementation should
 * bound each operation's time, because a caller is waiting behind it.
 *
 * Keys are core's cache keys (hashes of the token options, never a secret). Values are `IssuedToken`s, whose
 * access token stays out of `util.inspect` and JSON: an implementation must never log a value.
 */
export interface SharedTokenStore {
  /** The token stored under `key`, or `undefined` when there is none (or it has expired in the store). */
  get(key: string): Promise<IssuedToken | undefined>;

  /**
   * Stores `token` under `key` for `ttlMs` milliseconds; core picks a TTL that ends before the token expires, so the
   * store never hands out a token in its last moments. Overwrites what is there.
   */
  set(key: string, token: IssuedToken, ttlMs: number): Promise<void>;

  /**
   * Tries to become the one process that requests `key`'s token, with a lease the store chooses (so a process
   * that dies holding the lock cannot block the others for longer). Resolves the lock, or `undefined` when another
   * process holds it.
   */
  lock(key: string): Promise<SharedTokenLock | undefined>;

  /**
   * Waits, for at most the store's own time limit, while another process holds `key`'s lock. Resolves:
   * - `{ outcome: 'token' }` as soon as a stored token passes `isWanted`;
   * - `{ outcome: 'released' }` when the lock is free (released or lease over) and no wanted token is there: the
   *   holder failed or died, so the caller tries to take the lock itself;
   * - `{ outcome: 'timeout' }` when the time limit passes first: the caller requests the token itself.
   */
  waitForToken(key: string, isWanted: (token: IssuedToken) => boolean): Promise<SharedTokenWait>;
}

/** A lock on one key's token request, held until `release` or until its lease ends. */
export interface SharedTokenLock {
  /** Lets go of the lock if this process still holds it; never releases a lock another process has taken since. */
  release(): Promise<void>;
}

/** How a wait for another process's token ended: see `SharedTokenStore.waitForToken`. */
export type SharedTokenWait =
  | { readonly outcome: 'token'; readonly token: IssuedToken }
  | { readonly outcome: 'released' }
  | { readonly outcome: 'timeout' };
