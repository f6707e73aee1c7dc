/**
 * `mcaRetryOn401(instance, interceptor)`: the response interceptor (`onRejected`) that answers a 401 to a
 * request we stamped by dropping that token and sending the request once more through `instance`.
 * got's documented token-refresh hook has the same shape: see got docs "Hooks: afterResponse".
 */
import { isAxiosError, type AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { callerAuthorizationOf, isReplayableBody } from '@mca-oauth/core';
import type { McaInterceptor } from './mca-interceptor.js';
import { type Stamp, stampOf } from './stamp.js';

/** What the retry needs of an axios instance (or of the default `axios`). */
export type AxiosRequester = Pick<AxiosInstance, 'request'>;

/**
 * Whether the request that got the 401 carried our token. axios's http adapter answers with the last
 * hop's ClientRequest, whose header a redirect guard may have removed; other adapters do not say, and
 * the header we set is what they sent.
 */
function lastHopCarried(error: AxiosError, stamp: Stamp): boolean {
  const request = error.request as { getHeader?: (name: string) => unknown } | undefined;
  return typeof request?.getHeader !== 'function' || stamp.isOurs(request.getHeader('authorization'));
}

function stampToRetry(error: unknown): Stamp | undefined {
  if (!isAxiosError(error) || error.response?.status !== 401 || error.config === undefined) return undefined;
  const stamp = stampOf(error.config);
  if (stamp === undefined || stamp.retried) return undefined;
  if (!stamp.isOurs(callerAuthorizationOf(error.config.headers)) || !lastHopCarried(error, stamp)) return undefined;
  return stamp;
}

/**
 * Retries once; a second 401 goes back to the caller. A body that cannot be sent twice (a stream) is not
 * retried: the caller gets the 401, and the token is dropped all the same. Only 401s axios rejects are seen:
 * a `validateStatus` that accepts 401 hands the response to the caller untouched.
 */
export function mcaRetryOn401(instance: AxiosRequester, interceptor: McaInterceptor): (error: unknown) => Promise<AxiosResponse> {
  const { stamper } = interceptor;
  return async function retryOn401(error: unknown): Promise<AxiosResponse> {
    const stamp = stampToRetry(error);
    if (stamp === undefined) throw error;
    const config = (error as AxiosError).config!;
    stamp.rejectToken(stamper);
    if (!isReplayableBody(config.data)) throw error;
    // The record is shared with the config the retry merges from this one: our interceptor reads the mark there.
    stamp.markRetried();
    return instance.request(config);
  };
}
