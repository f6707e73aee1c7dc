/** The `beforeRedirect` hook: a hop that leaves the match loses our token (and proof) before any other hook sees it. */
import type { Stamper } from '@mca-oauth/core';
import type { BeforeRedirectHook } from 'got';
import type { RequestMemories } from './request-memory.js';
import { forgetStamp } from './stamp-before-request.js';

/**
 * got strips Authorization only when the host or port changes, and got 14 ignores the scheme
 * (https → http on the same host keeps it; got 15 compares whole origins), and never when the path leaves our
 * prefix. So every hop is checked against the match itself. `beforeRequest` checks again, so this is not the
 * only line of defence; it keeps our token away from `beforeRequest` hooks that run before ours.
 */
export function stripBeforeRedirect(stamper: Stamper, memories: RequestMemories): BeforeRedirectHook {
  return (options) => {
    const memory = memories.existing(options);
    if (memory === undefined || !memory.holdsOurs(options.headers)) return;
    if (options.url !== undefined && stamper.matches(options.url)) return;
    forgetStamp(options.headers, memory);
    memory.remember(undefined);
  };
}
