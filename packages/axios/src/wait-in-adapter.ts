/**
 * A cache miss without a promise in the interceptor chain: the interceptor returns the config at once, with
 * its adapter wrapped in one that waits for the token, stamps, and then runs the caller's adapter. So the
 * interceptor can be registered with `{ synchronous: true }`, which spares every request (hits included)
 * axios's promise chain; a miss pays one closure instead.
 */
import { getAdapter, type AxiosAdapter, type AxiosPromise, type InternalAxiosRequestConfig } from 'axios';
import type { Stamper } from '@mca-oauth/core';
import { requestUrlOf } from './request-url.js';
import { tokenWaitTimeoutError, toAxiosError } from './token-failure.js';
import { withinTimeout } from './token-wait.js';

type Config = InternalAxiosRequestConfig;

/** What to do with the token once it is here; `undefined` when the URL no longer matches. */
export type StampLater = (config: Config, url: string, authorization: string) => void;

/**
 * axios runs its adapter after every interceptor and `transformRequest`, so the URL is final here: it is
 * judged again (an interceptor that ran after ours may have moved it) instead of guarded.
 */
export function waitInAdapter(stamper: Stamper, config: Config, url: string, pending: Promise<string>, stampNow: StampLater): Config {
  const callers = config.adapter;
  const waiting: AxiosAdapter = async function mcaTokenWait(sent: Config): AxiosPromise {
    // A config sent again (our 401 retry, a retry library) goes to the caller's adapter, not to this wait.
    sent.adapter = callers;
    let authorization: string;
    try {
      authorization = await withinTimeout(pending, sent.timeout, () => tokenWaitTimeoutError(sent));
    } catch (error) {
      throw toAxiosError(error, sent);
    }
    const finalUrl = requestUrlOf(sent);
    if (finalUrl === url || (finalUrl !== undefined && stamper.matches(finalUrl))) stampNow(sent, finalUrl ?? url, authorization);
    return getAdapter(callers, sent)(sent);
  };
  config.adapter = waiting;
  return config;
}
