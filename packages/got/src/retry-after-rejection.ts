/** The `afterResponse` hook: core's verdict on the response to a request we stamped, and the retry it may ask for. */
import { isReplayableBody, type Stamper } from '@mca-oauth/core';
import type { AfterResponseHook } from 'got';
import type { RequestMemories } from './request-memory.js';

/**
 * got's documented token-refresh pattern (an `afterResponse` hook calling `retryWithMergedOptions`,
 * https://github.com/sindresorhus/got/blob/main/documentation/9-hooks.md#afterresponse), with the loop its
 * docs warn about closed: core counts the retries in the request's memory and allows each kind (a DPoP nonce,
 * a new token) once. The retry carries no header of its own: `beforeRequest` runs again and stamps afresh.
 * Core drops a rejected token itself, and remembers any DPoP-Nonce the response carries; a body that was a
 * stream has been consumed and cannot be sent again, so its response is returned as it is.
 */
export function retryAfterRejection(stamper: Stamper, memories: RequestMemories): AfterResponseHook {
  return (response, retryWithMergedOptions) => {
    const options = response.request.options;
    const memory = memories.existing(options);
    const stamp = memory?.stamp;
    if (stamp === undefined || !memory!.isOurs(options.headers.authorization) || options.url === undefined) return response;
    const verdict = stamper.judgeResponse(stamp, options.url, response.statusCode, response.headers, memory!, isReplayableBody(options.body));
    return verdict === 'deliver' ? response : retryKeepingHooks(retryWithMergedOptions);
  };
}

type Retry = Parameters<AfterResponseHook>[1];

/**
 * `preserveHooks`: this hook judges the retry's response too (core allows a nonce retry after a token retry, and
 * remembers the nonce a success carries); without it got drops every afterResponse hook for the retry. A got 14
 * older than the option refuses it ("Unexpected option") before merging anything: it then retries as before, and
 * its retry is judged by nobody (one retry, as got's documented token-refresh pattern has).
 */
export async function retryKeepingHooks(retry: Retry): Promise<never> {
  try {
    return await retry({ preserveHooks: true } as Parameters<Retry>[0]);
  } catch (error) {
    if (error instanceof Error && error.message === 'Unexpected option: preserveHooks') return retry({});
    throw error;
  }
}
