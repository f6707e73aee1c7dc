/** The `beforeRequest` hook: sets our token on a hop whose URL matches, and takes it back off one that does not. */
import { callerAuthorizationOf, callerDpopOf, type RequestStamp, type Stamper } from '@mca-oauth/core';
import type { BeforeRequestHook } from 'got';
import type { RequestMemories, RequestMemory } from './request-memory.js';

/**
 * got runs `beforeRequest` again on every redirect hop and retry, with the previous hop's headers. So a hook that
 * only ever adds the token would put it back after got stripped it; instead the header is recomputed on every
 * hop from the method and URL got is about to request (`options.url`, already resolved from `prefixUrl` and
 * `searchParams`): under DPoP every hop gets a proof of its own (RFC 9449 §4.2).
 *
 * It always resolves to `undefined`: got takes anything else as the response and sends nothing
 * (https://github.com/sindresorhus/got/blob/main/documentation/9-hooks.md#beforerequest).
 */
export function stampBeforeRequest(stamper: Stamper, memories: RequestMemories): BeforeRequestHook {
  return (options) => {
    const url = options.url;
    if (url === undefined) return undefined;
    const memory = memories.of(options);
    const ours = memory.isOurs(options.headers.authorization);
    const result = stamper.stampFor(options.method, url, {
      signal: options.signal,
      callerAuthorization: ours ? undefined : (callerAuthorizationOf(options.headers) ?? callerDpopOf(options.headers)),
      // A redirect hop or a retry names its user by the token its last hop carried: got may run it in another context.
      previousAuthorization: memory.stamp?.authorization,
    });
    if (result === undefined) {
      // Only headers we set are ours to remove; ones the caller set follow got's own redirect rules.
      forgetStamp(options.headers, memory);
      memory.remember(undefined);
      return undefined;
    }
    if (typeof (result as Promise<RequestStamp>).then !== 'function') {
      stamp(options.headers, memory, result as RequestStamp);
      return undefined;
    }
    return (result as Promise<RequestStamp>).then((fetched) => stamp(options.headers, memory, fetched));
  };
}

function stamp(headers: Record<string, unknown>, memory: RequestMemory, stamped: RequestStamp): undefined {
  forgetStamp(headers, memory);
  headers.authorization = stamped.authorization;
  if (stamped.dpop !== undefined) headers.dpop = stamped.dpop;
  memory.remember(stamped);
  return undefined;
}

/** Takes off `headers` what we stamped last, each header only while it still holds our value. */
export function forgetStamp(headers: Record<string, unknown>, memory: RequestMemory): void {
  const stamped = memory.stamp;
  if (stamped === undefined) return;
  if (headers.authorization === stamped.authorization) delete headers.authorization;
  if (stamped.dpop !== undefined && headers.dpop === stamped.dpop) delete headers.dpop;
}
