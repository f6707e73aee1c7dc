/** Releasing a lock safely: delete it only if it still holds our random value, atomically, in Lua. */

/**
 * Compare-and-delete: a holder whose lease ran out must not delete the lock another process has taken since.
 * @see https://redis.io/docs/latest/develop/use/patterns/distributed-locks/ (correct implementation with a single instance)
 */
export const RELEASE_LOCK_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
