/**
 * axios starts its `timeout` in the adapter, after the interceptors: without this, a request whose
 * token is slow would wait for core's `timeoutMs` whatever the caller's `timeout` says.
 */

/** `pending`, or a rejection with `onTimeout()` once `timeoutMs` (> 0) has passed; the timer never outlives it. */
export function withinTimeout<T>(pending: Promise<T>, timeoutMs: number | undefined, onTimeout: () => unknown): Promise<T> {
  if (timeoutMs === undefined || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return pending;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), timeoutMs);
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
