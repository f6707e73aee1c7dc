/**
 * A cache miss without a promise in the interceptor chain: the interceptor returns the config at once, with
 * its adapter wrapped in one that waits for the token, stamps, and then runs the caller's adapter. So the
 * interceptor can be registered with `{ synchronous: true }`, which spares every request (hits included)
 * axios's promise chain; a miss pays one closure instead.
 */
import { getAdapter, type AxiosAdapter, type AxiosPromise, type InternalAxiosRequestConfig } from 'axios';
import type { RequestStamp, Stamper } from '@mca-oauth/core';
import { requestUrlOf } from './request-url.js';
import { tokenWaitTimeoutError, toAxiosError } from './token-failure.js';
import { withinTimeout } from './token-wait.js';

type Config = InternalAxiosRequestConfig;

/** What to do with the stamp once it is here (for the final URL: under DPoP, with a proof for it). */
export type StampLater = (config: Config, url: string, stamped: RequestStamp) => void;

/**
 * axios runs its adapter after every interceptor and `transformRequest`, so the URL is final here: it is
 * judged again (an interceptor that ran after ours may have moved it) instead of guarded.
 */
export function waitInAdapter(stamper: Stamper, config: Config, url: string, method: string, pending: Promise<RequestStamp>, stampNow: StampLater): Config {
  const callers = config.adapter;
  const waiting: AxiosAdapter = async function mcaTokenWait(sent: Config): AxiosPromise {
    // A config sent again (our 401 retry, a retry library) goes to the caller's adapter, not to this wait.
    sent.adapter = callers;
    let stamped: RequestStamp;
    try {
      stamped = await withinTimeout(pending, sent.timeout, () => tokenWaitTimeoutError(sent));
    } catch (error) {
      throw toAxiosError(error, sent);
    }
    const finalUrl = requestUrlOf(sent);
    // Moved but still in the match: the same token, and under DPoP a proof for the URL really requested.
    const final = finalUrl === url ? stamped : finalUrl === undefined ? undefined : stamper.stampForHop(stamped, method, finalUrl);
    if (final !== undefined) stampNow(sent, finalUrl ?? url, final);
    return getAdapter(callers, sent)(sent);
  };
  config.adapter = waiting;
  return config;
}
