/** The `afterResponse` hook: a 401 to a request we stamped invalidates that token and retries the request once. */
import { isReplayableBody, type Stamper } from '@mca-oauth/core';
import type { AfterResponseHook } from 'got';
import type { RequestMemories } from './request-memory.js';

/**
 * got's documented token-refresh pattern (an `afterResponse` hook calling `retryWithMergedOptions`,
 * https://github.com/sindresorhus/got/blob/main/documentation/9-hooks.md#afterresponse), with the loop its
 * docs warn about closed: the request's memory says it was retried, so a second 401 goes back to the caller.
 * The retry carries no header of its own: `beforeRequest` runs again and stamps the fresh token.
 *
 * A 401 is the resource server saying the token is invalid (RFC 6750 §3.1), so that token is dropped from the cache;
 * a body that was a stream has been consumed and cannot be sent again, so that 401 is returned as it is.
 */
export function retryAfterRejection(stamper: Stamper, memories: RequestMemories): AfterResponseHook {
  return (response, retryWithMergedOptions) => {
    if (response.statusCode !== 401) return response;
    const options = response.request.options;
    const memory = memories.existing(options);
    const sent = options.headers.authorization;
    if (memory === undefined || memory.retried || !memory.isOurs(sent) || options.url === undefined) return response;
    memory.markRetried();
    // Invalidated even when the body forbids a retry, so the caller's next request does not carry it again.
    const replayable = isReplayableBody(options.body);
    stamper.tokenRejected(options.url, sent, { retrying: replayable });
    if (!replayable) return response;
    return retryWithMergedOptions({});
  };
}
