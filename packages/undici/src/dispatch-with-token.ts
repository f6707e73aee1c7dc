/** The one translation both entry points share: undici's `(opts, handler)` in, core's stamper asked, undici called. */
import { callerCredentialOf, isReplayableBody, type RequestStamp, type Stamper } from '@mca-oauth/core';
import { kStampedAuthorization, warnNestedOnce } from './composition-guards.js';
import { isNewStyleHandler, type AnyDispatchHandler, type Dispatch, type DispatchOptions } from './dispatch-types.js';
import { LegacyHandlerAdapter } from './legacy-handler.js';
import { LegacyStampedHandler } from './legacy-stamped-handler.js';
import { isOneShotIterator, readHeadersOnce, UNUSABLE_HEADERS, withoutStampedAuthorization } from './request-headers.js';
import { requestOriginOf } from './request-url.js';
import { TokenRequestHandler, type StampedRequest } from './token-request-handler.js';

/**
 * Dispatches `opts` through `dispatch`, with our Authorization when the URL matches. A request we leave
 * alone goes through untouched: same `opts`, same handler. `acceptsLegacyHandlers`: `dispatch` takes
 * legacy handlers as they are (undici 7's Agent), so a legacy caller's handler need not be converted.
 */
export function dispatchWithToken(
  stamper: Stamper,
  dispatch: Dispatch,
  opts: DispatchOptions,
  handler: AnyDispatchHandler,
  acceptsLegacyHandlers = false,
): boolean {
  const origin = requestOriginOf(opts);
  if (origin === undefined) return dispatch(opts, handler);
  const path = opts.path as string;
  // Joined, but not read on a cache hit: core judges origin and path apart (a joined string read by a
  // regular expression must first be flattened, a copy per request).
  const url = `${origin}${path}`;
  const alreadyStamped = opts[kStampedAuthorization];
  if (typeof alreadyStamped === 'string') return dispatchStampedFurtherOut(stamper, dispatch, opts, handler, url, alreadyStamped);

  // Reading a one-shot iterator (a generator) uses it up: one we will not stamp is passed on unread.
  const oneShot = isOneShotIterator(opts.headers);
  if (oneShot && !stamper.matches(url)) return dispatch(opts, handler);
  const headers = readHeadersOnce(opts.headers);
  if (headers === UNUSABLE_HEADERS) return dispatch(opts, handler);
  // A caller's own DPoP proof speaks for the request as its Authorization would (RFC 9449 §7.1).
  const callerAuthorization = callerCredentialOf(headers);
  const method = typeof opts.method === 'string' ? opts.method : 'GET';
  const stamp = stamper.stampForTarget(method, origin, path, callerAuthorization === undefined ? undefined : { callerAuthorization });
  if (stamp === undefined) {
    // Untouched (issue #20): the same opts and handler, unless we read up a one-shot iterator, whose pairs go on as read.
    return dispatch(oneShot ? { ...opts, headers } : opts, handler);
  }

  const request: StampedRequest = {
    stamper,
    dispatch,
    method,
    url,
    opts,
    headers,
    callerAuthorization,
    retryable: isReplayableBody(opts.body) && (opts.upgrade === undefined || opts.upgrade === null) && opts.method !== 'CONNECT',
  };
  if (isNewStyleHandler(handler)) return new TokenRequestHandler(request, handler).start(stamp);
  if (acceptsLegacyHandlers && typeof (stamp as Promise<unknown>).then !== 'function') return LegacyStampedHandler.dispatch(request, handler, stamp as RequestStamp);
  return new TokenRequestHandler(request, new LegacyHandlerAdapter(handler)).start(stamp);
}

/**
 * An mca layer further out already stamped this request: it owns the token and the 401 retry. If a
 * redirect between the two layers took the request outside the match, the token comes off here.
 */
function dispatchStampedFurtherOut(
  stamper: Stamper,
  dispatch: Dispatch,
  opts: DispatchOptions,
  handler: AnyDispatchHandler,
  url: string,
  stamped: string,
): boolean {
  warnNestedOnce();
  if (stamper.matches(url)) return dispatch(opts, handler);
  const { [kStampedAuthorization]: _stamped, ...unstamped } = opts;
  const read = readHeadersOnce(opts.headers);
  const headers = read === UNUSABLE_HEADERS ? opts.headers : withoutStampedAuthorization(read, stamped);
  return dispatch({ ...unstamped, headers }, handler);
}
