/** The `beforeError` hook: a failed request's error does not carry the token we stamped. */
import type { BeforeErrorHook } from 'got';
import type { RequestMemories } from './request-memory.js';

/**
 * got's errors hold the request's options (`error.options`, also `error.response.request.options`), headers
 * included, and `util.inspect` and `JSON.stringify` print them: one logged HTTPError would log our token. The
 * caller never saw that header, so we remove it once the request has failed for good (got calls `beforeError`
 * only after its retries), and a later request with these options is stamped afresh.
 */
export function redactBeforeError(memories: RequestMemories): BeforeErrorHook {
  return (error) => {
    const options = error.options as typeof error.options | undefined;
    const memory = memories.existing(options);
    if (options !== undefined && memory?.isOurs(options.headers.authorization) === true) {
      delete options.headers.authorization;
      memory.remember(undefined);
    }
    return error;
  };
}
