/** The request interceptor's work: the URL axios will request in, `Authorization: Bearer …` out when it matches. */
import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import type { Stamper } from '@mca-oauth/core';
import { authorizationKeyOf, callerAuthorizationIn } from './caller-authorization.js';
import { withFinalUrlGuard, withoutFinalUrlGuard } from './final-url-guard.js';
import { callersBeforeRedirect, guardRedirects } from './redirect-guard.js';
import { removeOurAuthorization } from './remove-our-authorization.js';
import { requestUrlOf } from './request-url.js';
import { Stamp, stampOf } from './stamp.js';
import { toAxiosError } from './token-failure.js';
import { waitInAdapter } from './wait-in-adapter.js';

type Config = InternalAxiosRequestConfig;

// axios types `signal` as GenericAbortSignal; core listens with addEventListener, as AbortSignal has.
function abortSignalOf(config: Config): AbortSignal | undefined {
  const signal = config.signal;
  return signal !== undefined && typeof signal.addEventListener === 'function' ? (signal as AbortSignal) : undefined;
}

/** Sets our header (and drops `auth`, for which axios would replace it with Basic credentials). */
function stampHeaders(config: Config, authorization: string): void {
  const headers = AxiosHeaders.from(config.headers);
  if (authorizationKeyOf(headers) === undefined) {
    // What set() would do, without its sanitizing pass over the value (about 0.7 µs for a JWT): core
    // accepts only visible-ASCII tokens, which that pass leaves as they are.
    headers.Authorization = authorization;
  } else {
    // `true`: replace even a caller's `false`, which only reaches here under overwriteAuthorization.
    headers.set('Authorization', authorization, true);
  }
  config.headers = headers;
  // Likewise for `auth`: left in place, axios would delete our header and send Basic credentials.
  if (config.auth) delete config.auth;
}

/** A cache hit, stamped in the interceptor: guarded against a redirect and against a later interceptor moving the URL. */
function apply(stamper: Stamper, config: Config, url: string, authorization: string, previous: Stamp | undefined): Config {
  stampHeaders(config, authorization);
  const stamp = new Stamp(authorization, url, previous?.retried ?? false);
  config.beforeRedirect = guardRedirects(stamper, stamp, config.beforeRedirect);
  config.transformRequest = withFinalUrlGuard(stamper, stamp, config);
  return config;
}

/** A config we stamped before, sent again where no token belongs (a retry library moved it): undo our stamp. */
function leaveAlone(config: Config, previous: Stamp | undefined): Config {
  if (previous !== undefined) {
    removeOurAuthorization(config.headers as unknown as Record<string, unknown>, previous);
    config.beforeRedirect = callersBeforeRedirect(config.beforeRedirect);
    config.transformRequest = withoutFinalUrlGuard(config.transformRequest);
  }
  return config;
}

/** Never returns a promise (a miss waits in the adapter step), so it may be registered with `{ synchronous: true }`. */
export function stampRequest(stamper: Stamper, config: Config): Config {
  const previous = stampOf(config);
  const url = requestUrlOf(config);
  // An aborted request is never sent (axios rejects it with CanceledError before the adapter): no token for it.
  if (url === undefined || config.signal?.aborted === true) return leaveAlone(config, previous);
  let result: string | Promise<string> | undefined;
  try {
    result = stamper.authorizationFor(url, {
      signal: abortSignalOf(config),
      callerAuthorization: callerAuthorizationIn(config, previous),
    });
  } catch (error) {
    throw toAxiosError(error, config);
  }
  if (result === undefined) return leaveAlone(config, previous);
  if (typeof result === 'string') return apply(stamper, config, url, result, previous);
  // A config sent again (the 401 retry) loses the refused token and its guards now: if the URL stops
  // matching before the adapter runs, nothing of ours goes out.
  return waitInAdapter(stamper, leaveAlone(config, previous), url, result, (sent, finalUrl, authorization) => {
    stampHeaders(sent, authorization);
    sent.beforeRedirect = guardRedirects(stamper, new Stamp(authorization, finalUrl, previous?.retried ?? false), sent.beforeRedirect);
  });
}
