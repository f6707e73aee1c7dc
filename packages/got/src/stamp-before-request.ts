/** The `beforeRequest` hook: sets our token on a hop whose URL matches, and takes it back off one that does not. */
import { callerAuthorizationOf, type Stamper } from '@mca-oauth/core';
import type { BeforeRequestHook } from 'got';
import type { RequestMemories } from './request-memory.js';

/**
 * got runs `beforeRequest` again on every redirect hop and retry, with the previous hop's headers. So a hook that
 * only ever adds the token would put it back after got stripped it; instead the header is recomputed on every
 * hop from the URL got is about to request (`options.url`, already resolved from `prefixUrl` and `searchParams`).
 *
 * It always resolves to `undefined`: got takes anything else as the response and sends nothing
 * (https://github.com/sindresorhus/got/blob/main/documentation/9-hooks.md#beforerequest).
 */
export function stampBeforeRequest(stamper: Stamper, memories: RequestMemories): BeforeRequestHook {
  return (options) => {
    const url = options.url;
    if (url === undefined) return undefined;
    const memory = memories.existing(options);
    const ours = memory?.isOurs(options.headers.authorization) === true;
    // Any case: a hook of the caller's may have set `Authorization` on the object itself, past got's lowercasing.
    const callerAuthorization = ours ? undefined : callerAuthorizationOf(options.headers);
    const signal = options.signal as AbortSignal | undefined;
    // A redirect hop or 401 retry names its user by the token its last hop carried: got may run it in another context.
    const previousAuthorization = memory?.stamped;
    // No options object on the common path (no signal, no caller's header, first hop): this runs for every request.
    const result = stamper.authorizationFor(
      url,
      signal === undefined && callerAuthorization === undefined && previousAuthorization === undefined
        ? undefined
        : { signal, callerAuthorization, previousAuthorization },
    );
    if (result === undefined) {
      // Only a header we set is ours to remove; one the caller set follows got's own redirect rules.
      if (ours) delete options.headers.authorization;
      memory?.remember(undefined);
      return undefined;
    }
    if (typeof result === 'string') {
      stamp(options, memories, result);
      return undefined;
    }
    return result.then((authorization) => stamp(options, memories, authorization));
  };
}

/** The only place a request gets our memory: a request we never stamp carries nothing of ours. */
function stamp(options: Parameters<BeforeRequestHook>[0], memories: RequestMemories, authorization: string): undefined {
  options.headers.authorization = authorization;
  memories.of(options).remember(authorization);
  return undefined;
}
