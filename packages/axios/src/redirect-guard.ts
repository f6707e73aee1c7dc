/**
 * follow-redirects' `beforeRedirect` hook that takes our token (and DPoP proof) off a hop leaving the match,
 * and gives a hop that stays in it a proof for its own method and URL (RFC 9449 §4.2; synchronous, as the hook is).
 * axios strips Authorization on a cross-origin hop itself (1.21, and follow-redirects on another
 * host or an https→http downgrade), but keeps it on a same-origin hop to any path, e.g. from
 * `/api/x` to `/public/y` outside the prefix the token was issued for; neither knows DPoP.
 */
import type { AxiosRequestConfig } from 'axios';
import { removeOurAuthorization, replaceOurProof } from './remove-our-authorization.js';
import { STAMP, type Stamp } from './stamp.js';

export type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;

type Guard = BeforeRedirect & { [STAMP]?: Stamp };

/** The caller's own hook, without our guard around it. */
export function callersBeforeRedirect(current: BeforeRedirect | undefined): BeforeRedirect | undefined {
  const stamp = current === undefined ? undefined : (current as Guard)[STAMP];
  return stamp === undefined ? current : stamp.callersBeforeRedirect;
}

/**
 * Ours runs first, then the caller's own hook, which sees the hop as it will be sent. A config sent again
 * (the 401 retry, a retry library) already carries a guard: it is replaced, not nested.
 *
 * Each request needs a function of its own (axios hands follow-redirects nothing else of the config), but it
 * closes over nothing: it finds its record as its own property, so a stamped request allocates the function and
 * no scope for it.
 */
export function guardRedirects(stamp: Stamp, current: BeforeRedirect | undefined): BeforeRedirect {
  stamp.callersBeforeRedirect = callersBeforeRedirect(current);
  const guard: Guard = function mcaRedirectGuard(options, responseDetails, requestDetails) {
    const own = (mcaRedirectGuard as Guard)[STAMP]!;
    const next = (options as { href?: unknown }).href;
    const method = (options as { method?: unknown }).method;
    const headers = options.headers as Record<string, unknown> | undefined;
    const hop = typeof next === 'string' ? own.stamper.stampForHop(own.requestStamp, typeof method === 'string' ? method.toUpperCase() : 'GET', next) : undefined;
    if (hop === undefined) removeOurAuthorization(headers, own);
    else if (hop.dpop !== undefined) replaceOurProof(headers, own, hop.dpop);
    own.callersBeforeRedirect?.(options, responseDetails, requestDetails);
  };
  guard[STAMP] = stamp;
  return guard;
}
