/**
 * `mcaRetryOn401(instance, interceptor)`: the response interceptor (`onRejected`) that asks core for its verdict
 * on an error response to a request we stamped, and sends the request once more through `instance` when core
 * says so (a DPoP nonce, or a new token after a 401; each at most once, counted by core).
 * got's documented token-refresh hook has the same shape: see got docs "Hooks: afterResponse".
 */
import { isAxiosError, type AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { McaError, McaErrorCodes, callerAuthorizationOf, isReplayableBody, scrubSentAuthorization, type ResponseVerdict, type Stamper } from '@mca-oauth/core';
import { checkRequester } from './argument-checks.js';
import { unparkFinishedRequest } from './parked-request.js';
import { removeOurAuthorization } from './remove-our-authorization.js';
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

/** Our record, when `response` answers a request that carried our stamp (on its last hop). */
function ourStampFor(error: AxiosError): Stamp | undefined {
  if (error.response === undefined || error.config === undefined) return undefined;
  const stamp = stampOf(error.config);
  if (stamp === undefined || !stamp.isOurs(callerAuthorizationOf(error.config.headers)) || !lastHopCarried(error, stamp)) return undefined;
  return stamp;
}

/** Core's verdict on a response to a request we stamped (it also remembers a DPoP-Nonce the response carries). */
function verdictOn(stamper: Stamper, error: AxiosError): ResponseVerdict {
  const stamp = ourStampFor(error);
  if (stamp === undefined) return 'deliver';
  const { status, headers } = error.response!;
  return stamper.judgeResponse(stamp.requestStamp, stamp.url, status, headers, stamp, isReplayableBody(error.config!.data));
}

/**
 * Retries as core says: at most once for a DPoP nonce and once for a new token; then the 401 goes back to the
 * caller. A body that cannot be sent twice (a stream) is not retried: the caller gets the 401, and core drops a
 * rejected token all the same. Only responses axios rejects are seen: a `validateStatus` that accepts 401 hands
 * the response to the caller untouched.
 */
export function mcaRetryOn401(instance: AxiosRequester, interceptor: McaInterceptor): (error: unknown) => Promise<AxiosResponse> {
  checkRequester(instance, 'mcaRetryOn401(instance, interceptor)');
  if (typeof interceptor !== 'function' || typeof (interceptor as Partial<McaInterceptor>).stamper !== 'object') {
    throw new McaError(
      McaErrorCodes.INVALID_OPTION,
      'mcaRetryOn401(instance, interceptor) takes the interceptor that mcaInterceptor(options) returned as its second argument, not options.',
    );
  }
  const { stamper } = interceptor;
  return async function retryOn401(error: unknown): Promise<AxiosResponse> {
    if (!isAxiosError(error) || verdictOn(stamper, error) === 'deliver') throw withoutOurToken(error);
    // The first attempt's request objects are done with; the config goes on to the retry, restamped. The record
    // (with core's retry count) is shared with the config the retry merges from this one.
    forgetOurToken(error, false);
    return instance.request(error.config!);
  };
}

/**
 * An AxiosError holds the config (headers included) and Node's request, and `console.log(err)` or
 * `JSON.stringify(err)` prints them: once the request is over for good, the token we stamped comes out of
 * both. A header the caller set is theirs, and left alone.
 */
function withoutOurToken(error: unknown): unknown {
  if (isAxiosError(error)) forgetOurToken(error);
  return error;
}

/**
 * `installMca`'s success handler. Core sees a response to a DPoP-stamped request first (a DPoP-Nonce on a success
 * counts, RFC 9449 §8.2). Then the finished request of a response to a stamped request is unparked from its pooled
 * socket, so an error of a later request (which reaches the agent's free sockets) does not reach its headers. The
 * response itself, which the caller holds, shows what was sent, as axios's always do. A bearer hit costs two
 * property reads: scrubbing the token out of every object instead cost about 12 µs a response.
 */
export function mcaOnSuccess(interceptor: McaInterceptor): (response: AxiosResponse) => AxiosResponse {
  const { stamper } = interceptor;
  return (response) => {
    const stamp = response.config === undefined ? undefined : stampOf(response.config);
    if (stamp === undefined) return response;
    // Only a DPoP stamp has anything to learn from a success (a nonce); a bearer success costs no verdict.
    if (stamp.requestStamp.dpop !== undefined) verdictOn(stamper, { config: response.config, request: response.request, response } as AxiosError);
    unparkFinishedRequest(response.request);
    return response;
  };
}

function forgetOurToken(error: AxiosError, fromConfig = true): void {
  if (error.config === undefined) return;
  const stamp = stampOf(error.config);
  const sent = callerAuthorizationOf(error.config.headers);
  if (stamp === undefined || typeof sent !== 'string' || !stamp.isOurs(sent)) return;
  if (fromConfig) removeOurAuthorization(error.config.headers as unknown as Record<string, unknown>, stamp);
  for (const request of requestsOf(error)) {
    removeOurAuthorization((request as { _options?: { headers?: Record<string, unknown> } })._options?.headers, stamp);
    scrubSentAuthorization(sent, request);
  }
}

/**
 * Every request object an AxiosError reaches: Node's ClientRequest (`error.request`, the response's), and
 * follow-redirects' RedirectableRequest, whose options hold the headers: found as `_currentRequest`'s owner
 * or through the socket, where axios's http adapter keeps it under a symbol.
 */
function requestsOf(error: AxiosError): unknown[] {
  const found = new Set<unknown>([error.request, error.response?.request]);
  for (const request of [...found]) {
    if (typeof request !== 'object' || request === null) continue;
    found.add((request as { _currentRequest?: unknown })._currentRequest);
    const socket = (request as { socket?: unknown }).socket;
    if (typeof socket !== 'object' || socket === null) continue;
    for (const symbol of Object.getOwnPropertySymbols(socket)) {
      if (symbol.description === 'axios.http.currentReq') found.add((socket as Record<symbol, unknown>)[symbol]);
    }
  }
  return [...found].filter((request) => typeof request === 'object' && request !== null);
}
