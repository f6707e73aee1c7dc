/** The `beforeError` hook: a failed request's error does not carry the token we stamped. */
import { scrubSentAuthorization } from '@mca-oauth/core';
import type { BeforeErrorHook } from 'got';
import type { RequestMemories } from './request-memory.js';
import { forgetStamp } from './stamp-before-request.js';

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
    const sent = options?.headers.authorization;
    if (options !== undefined && typeof sent === 'string' && memory?.isOurs(sent) === true) {
      forgetStamp(options.headers, memory);
      memory.remember(undefined);
      // Node's ClientRequest keeps the head it wrote (`_header`), reachable from the error with showHidden;
      // got 16 also keeps the options it gave Node (`_requestOptions`).
      type GotRequest = { _request?: unknown; _requestOptions?: { headers?: Record<string, unknown> }; response?: { req?: unknown } };
      const requests = [error.request, (error.response as unknown as { request?: unknown } | undefined)?.request] as (GotRequest | undefined)[];
      for (const request of requests) {
        const headers = request?._requestOptions?.headers;
        if (headers !== undefined && headers['authorization'] === sent) delete headers['authorization'];
        scrubSentAuthorization(sent, request?._request, request?.response?.req);
      }
      scrubSentAuthorization(sent, (error.response as unknown as { req?: unknown } | undefined)?.req);
    }
    return error;
  };
}
