/**
 * Bounds one Redis command in time, whatever the client's own settings: a dead or slow Redis can delay a token
 * by at most `timeoutMs` per command, and core then goes on without it.
 */
import { RedisStoreError, RedisStoreErrorCodes } from './errors.js';

export async function boundedCommand<T>(operation: string, timeoutMs: number, command: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      // A busy event loop runs due timers before it reads sockets: a reply that arrived during the lag is read in
      // this turn's poll phase, before setImmediate, so a loaded process does not mistake its own lag for Redis's.
      setImmediate(() => reject(new RedisStoreError(RedisStoreErrorCodes.TIMEOUT, `Redis ${operation} took longer than ${timeoutMs} ms`)));
    }, timeoutMs);
  });
  try {
    return await Promise.race([command(), timedOut]);
  } catch (error) {
    if (error instanceof RedisStoreError) throw error;
    // ioredis messages name the failure ("Connection is closed.", "Command timed out"), never a key's value.
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedisStoreError(RedisStoreErrorCodes.UNAVAILABLE, `Redis ${operation} failed: ${reason}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
