/**
 * follow-redirects' `beforeRedirect` hook that takes our token (and DPoP proof) off a hop leaving the match,
 * and gives a hop that stays in it a proof for its own method and URL (RFC 9449 §4.2; synchronous, as the hook is).
 * axios strips Authorization on a cross-origin hop itself (1.21, and follow-redirects on another
 * host or an https→http downgrade), but keeps it on a same-origin hop to any path, e.g. from
 * `/api/x` to `/public/y` outside the prefix the token was issued for; neither knows DPoP.
 */
import type { AxiosRequestConfig } from 'axios';
import type { Stamper } from '@mca-oauth/core';
import { removeOurAuthorization, replaceOurProof } from './remove-our-authorization.js';
import { STAMP, type Stamp } from './stamp.js';

export type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;

const CALLERS = Symbol('@mca-oauth/axios.callersBeforeRedirect');
type Guard = BeforeRedirect & { [CALLERS]?: BeforeRedirect | undefined; [STAMP]?: Stamp };

/** The caller's own hook, without our guard around it. */
export function callersBeforeRedirect(current: BeforeRedirect | undefined): BeforeRedirect | undefined {
  return current !== undefined && CALLERS in current ? (current as Guard)[CALLERS] : current;
}

/**
 * Ours runs first, then the caller's own hook, which sees the hop as it will be sent. A config sent again
 * (the 401 retry, a retry library) already carries a guard: it is replaced, not nested.
 */
export function guardRedirects(stamper: Stamper, stamp: Stamp, current: BeforeRedirect | undefined): BeforeRedirect {
  const callers = callersBeforeRedirect(current);
  const guard: Guard = (options, responseDetails, requestDetails) => {
    const next = (options as { href?: unknown }).href;
    const method = (options as { method?: unknown }).method;
    const headers = options.headers as Record<string, unknown> | undefined;
    const hop = typeof next === 'string' ? stamper.stampForHop(stamp.requestStamp, typeof method === 'string' ? method.toUpperCase() : 'GET', next) : undefined;
    if (hop === undefined) removeOurAuthorization(headers, stamp);
    else if (hop.dpop !== undefined) replaceOurProof(headers, stamp, hop.dpop);
    callers?.(options, responseDetails, requestDetails);
  };
  guard[CALLERS] = callers;
  guard[STAMP] = stamp;
  return guard;
}
