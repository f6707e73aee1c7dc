/** Lets one caller stop waiting for a shared token fetch without cancelling it for the others. */
import { McaError, McaErrorCodes } from '../errors/index.js';

export function abortedError(signal: AbortSignal): McaError {
  return new McaError(McaErrorCodes.ABORTED, 'The request was aborted while its token was being fetched.', { cause: signal.reason });
}

export function abortable<T>(pending: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return pending;
  if (signal.aborted) {
    pending.catch(() => undefined);
    return Promise.reject(abortedError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortedError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
