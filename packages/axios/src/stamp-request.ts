/** The request interceptor's work: the method and URL axios will request in, core's headers out when it matches. */
import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import type { RequestStamp, Stamper, StampOptions, StampResult } from '@mca-oauth/core';
import { callerAuthorizationIn, headerKeysOf, type HeaderKeys } from './caller-authorization.js';
import { withFinalUrlGuard, withoutFinalUrlGuard } from './final-url-guard.js';
import { callersBeforeRedirect, guardRedirects } from './redirect-guard.js';
import { removeOurAuthorization } from './remove-our-authorization.js';
import { requestUrlOf } from './request-url.js';
import { setPassStamp, Stamp, stampOf } from './stamp.js';
import { toAxiosError } from './token-failure.js';
import { waitInAdapter } from './wait-in-adapter.js';

type Config = InternalAxiosRequestConfig;

// axios types `signal` as GenericAbortSignal; core listens with addEventListener, as AbortSignal has.
function abortSignalOf(config: Config): AbortSignal | undefined {
  const signal = config.signal;
  return signal !== undefined && typeof signal.addEventListener === 'function' ? (signal as AbortSignal) : undefined;
}

/** axios keeps methods in lower case and its adapters send them upper-cased; a lookup allocates nothing. */
const UPPER_METHODS: Readonly<Record<string, string>> = {
  get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', head: 'HEAD', options: 'OPTIONS',
};

/** What core needs to know of the request beyond its method and URL; nothing to allocate when it is nothing. */
function stampOptionsOf(config: Config, callerAuthorization: string | undefined): StampOptions | undefined {
  const signal = abortSignalOf(config);
  return signal === undefined && callerAuthorization === undefined ? undefined : { signal, callerAuthorization };
}

export function methodOf(config: Config): string {
  const method = config.method ?? 'get';
  return UPPER_METHODS[method] ?? method.toUpperCase();
}

/**
 * Sets our headers (and drops `auth`, for which axios would replace Authorization with Basic credentials).
 * `keys`: what `headerKeysOf` found in `config.headers` as it is.
 */
function stampHeaders(config: Config, stamped: RequestStamp, keys: HeaderKeys): void {
  const authorization = stamped.authorization;
  const given = config.headers;
  const headers = AxiosHeaders.from(given);
  const { authorization: authorizationKey, dpop: dpopKey } = headers === given ? keys : headerKeysOf(headers);
  if (authorizationKey === undefined) {
    // What set() would do, without its sanitizing pass over the value (about 0.7 µs for a JWT): core
    // accepts only visible-ASCII tokens, which that pass leaves as they are.
    headers.Authorization = authorization;
  } else {
    // `true`: replace even a caller's `false`, which only reaches here under overwriteAuthorization.
    headers.set('Authorization', authorization, true);
  }
  if (stamped.dpop !== undefined) {
    // A proof is base64url and dots: nothing for set()'s sanitizing pass to do.
    if (dpopKey === undefined) headers.DPoP = stamped.dpop;
    else headers.set(dpopKey, stamped.dpop, true);
  }
  config.headers = headers;
  // Likewise for `auth`: left in place, axios would delete our header and send Basic credentials.
  if (config.auth) delete config.auth;
}

/** A cache hit, stamped in the interceptor: guarded against a redirect and against a later interceptor moving the URL. */
function apply(stamper: Stamper, config: Config, url: string, method: string, stamped: RequestStamp, previous: Stamp | undefined, keys: HeaderKeys): Config {
  stampHeaders(config, stamped, keys);
  const stamp = new Stamp(stamper, stamped, url, method, previous?.retriesDone ?? 0);
  stamp.rememberUrlOf(config);
  config.beforeRedirect = guardRedirects(stamp, config.beforeRedirect);
  config.transformRequest = withFinalUrlGuard(config.transformRequest);
  setPassStamp(config, stamp);
  return config;
}

/** A config we stamped before, sent again where no token belongs (a retry library moved it): undo our stamp. */
function leaveAlone(config: Config, previous: Stamp | undefined): Config {
  if (previous !== undefined) {
    removeOurAuthorization(config.headers as unknown as Record<string, unknown>, previous);
    config.beforeRedirect = callersBeforeRedirect(config.beforeRedirect);
    config.transformRequest = withoutFinalUrlGuard(config.transformRequest);
    setPassStamp(config, undefined);
  }
  return config;
}

/** Never returns a promise (a miss waits in the adapter step), so it may be registered with `{ synchronous: true }`. */
export function stampRequest(stamper: Stamper, config: Config): Config {
  const previous = stampOf(config);
  const url = requestUrlOf(config);
  // An aborted request is never sent (axios rejects it with CanceledError before the adapter): no token for it.
  if (url === undefined || config.signal?.aborted === true) return leaveAlone(config, previous);
  const method = methodOf(config);
  // Its own object, not one shared by every request: a diagnostics subscriber inside `stampFor` may stamp
  // another request, re-entering here, before this one is done.
  const keys = headerKeysOf(config.headers);
  let result: StampResult;
  try {
    result = stamper.stampFor(method, url, stampOptionsOf(config, callerAuthorizationIn(config, previous, keys)));
  } catch (error) {
    throw toAxiosError(error, config);
  }
  if (result === undefined) return leaveAlone(config, previous);
  if (typeof (result as Promise<RequestStamp>).then !== 'function') return apply(stamper, config, url, method, result as RequestStamp, previous, keys);
  // A config sent again (the 401 retry) loses the refused token and its guards now: if the URL stops
  // matching before the adapter runs, nothing of ours goes out.
  return waitInAdapter(stamper, leaveAlone(config, previous), url, method, result as Promise<RequestStamp>, (sent, finalUrl, stamped) => {
    stampHeaders(sent, stamped, headerKeysOf(sent.headers));
    sent.beforeRedirect = guardRedirects(new Stamp(stamper, stamped, finalUrl, method, previous?.retriesDone ?? 0), sent.beforeRedirect);
  });
}
