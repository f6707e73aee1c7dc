/** The `beforeRequest` hook: sets our token on a hop whose URL matches, and takes it back off one that does not. */
import { callerCredentialOf, type RequestStamp, type Stamper } from '@mca-oauth/core';
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
    const memory = memories.existing(options);
    const ours = memory?.holdsOurs(options.headers) === true;
    // Any case: a hook of the caller's may have set `Authorization` (or `DPoP`) on the object itself, past got's lowercasing.
    const callerAuthorization = ours ? undefined : callerCredentialOf(options.headers);
    const signal = options.signal as AbortSignal | undefined;
    // A redirect hop or a retry names its user by the token its last hop carried: got may run it in another context.
    const previousAuthorization = memory?.stamp?.authorization;
    // No options object on the common path (no signal, no caller's header, first hop): this runs for every request.
    const result = stamper.stampFor(
      options.method,
      url,
      signal === undefined && callerAuthorization === undefined && previousAuthorization === undefined
        ? undefined
        : { signal, callerAuthorization, previousAuthorization },
    );
    if (result === undefined) {
      // Only headers we set are ours to remove; ones the caller set follow got's own redirect rules.
      if (memory !== undefined) {
        forgetStamp(options.headers, memory);
        memory.remember(undefined);
      }
      return undefined;
    }
    if (typeof (result as Promise<RequestStamp>).then !== 'function') {
      stamp(options, memories, result as RequestStamp);
      return undefined;
    }
    return (result as Promise<RequestStamp>).then((fetched) => stamp(options, memories, fetched));
  };
}

/** The only place a request gets our memory: a request we never stamp carries nothing of ours. */
function stamp(options: Parameters<BeforeRequestHook>[0], memories: RequestMemories, stamped: RequestStamp): undefined {
  const memory = memories.of(options);
  const headers = options.headers as Record<string, unknown>;
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
