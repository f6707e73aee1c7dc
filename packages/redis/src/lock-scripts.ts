/** The lock's two Lua scripts: each touches one key, so each runs on one Cluster node, atomically. */

/**
 * Take the lock, or find we already hold it: SET NX, and if the key exists, compare it with our random value. A
 * take that is sent again during a failover (bounded-command.ts) may find the lock its first send already took: it
 * must not read that as another process's lock and wait on itself.
 */
export const TAKE_LOCK_SCRIPT = `if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return redis.call('get', KEYS[1]) == ARGV[1] and 1 or 0`;

/**
 * Compare-and-delete: a holder whose lease ran out must not delete the lock another process has taken since.
 * @see https://redis.io/docs/latest/develop/use/patterns/distributed-locks/ (correct implementation with a single instance)
 */
export const RELEASE_LOCK_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
