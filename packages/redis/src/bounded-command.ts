/**
 * Bounds one Redis command in time, whatever the client's own settings: a dead or slow Redis can delay a token
 * by at most `timeoutMs` per command, and core then goes on without it. Within that bound, a command that meets a
 * failover (failover-errors.ts) is sent again, so that a failover shorter than `timeoutMs` costs the fleet no extra
 * token request; every other failure ends the command at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisStoreError, RedisStoreErrorCodes } from './errors.js';
import { isFailoverError } from './failover-errors.js';

/** The pause before sending a command again during a failover: a Cluster elects a new master in about a second. */
const FAILOVER_RETRY_MS = 100;

function timeoutError(operation: string, timeoutMs: number): RedisStoreError {
  return new RedisStoreError(RedisStoreErrorCodes.TIMEOUT, `Redis ${operation} took longer than ${timeoutMs} ms`);
}

/** Runs `command` again while it fails with a failover error and `deadline` is not reached. */
async function untilNotFailingOver<T>(command: () => Promise<T>, deadline: number, isOver: () => boolean): Promise<T> {
  for (;;) {
    try {
      return await command();
    } catch (error) {
      const pause = Math.min(FAILOVER_RETRY_MS, deadline - Date.now());
      if (!isFailoverError(error) || pause <= 0 || isOver()) throw error;
      await sleep(pause * (0.5 + Math.random()));
      if (isOver()) throw error;
    }
  }
}

export async function boundedCommand<T>(operation: string, timeoutMs: number, command: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let over = false;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      // A busy event loop runs due timers before it reads sockets: a reply that arrived during the lag is read in
      // this turn's poll phase, before setImmediate, so a loaded process does not mistake its own lag for Redis's.
      setImmediate(() => {
        over = true;
        reject(timeoutError(operation, timeoutMs));
      });
    }, timeoutMs);
  });
  try {
    return await Promise.race([untilNotFailingOver(command, Date.now() + timeoutMs, () => over), timedOut]);
  } catch (error) {
    if (error instanceof RedisStoreError) throw error;
    // ioredis messages name the failure ("Connection is closed.", "Command timed out"), never a key's value.
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedisStoreError(RedisStoreErrorCodes.UNAVAILABLE, `Redis ${operation} failed: ${reason}`, { cause: error });
  } finally {
    over = true;
    clearTimeout(timer);
  }
}
