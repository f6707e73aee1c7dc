/**
 * The contract every adapter uses: a request's method and URL in, the headers to set (or none) out, and a verdict
 * on the response (deliver it, or send the request once more). Adapters hold no token, nonce or retry logic.
 */
import { CachedToken } from '../cache/cached-token.js';
import { processTokenCache, TokenCache, type TokenSource } from '../cache/token-cache.js';
import { asksForDpopNonce } from '../dpop/challenge.js';
import type { McaOptions } from '../config/options.js';
import { environmentOption, invalidOption, optionalBoolean } from '../config/validate.js';
import { channels, type RejectedEvent, type RetryEvent } from '../observability/channels.js';
import { unmatchedCount } from '../observability/counts.js';
import { ownOptions } from '../config/own-options.js';
import { checkMcaOptionNames } from '../config/known-options.js';
import { headerValueOf } from './caller-authorization.js';
import { NONCE_RETRY, RequestStamp, TOKEN_RETRY, type ResponseVerdict, type RetryRecord } from './request-stamp.js';
import { compileRoutes, type Route } from './routes.js';

/** `undefined`: leave the request alone. A string: set it. A promise: set what it resolves to (it rejects with an McaError). */
export type AuthorizationResult = string | Promise<string> | undefined;

/**
 * `undefined`: leave the request alone. A stamp: set its headers. A promise: set the headers of the stamp it
 * resolves to (it rejects with an McaError).
 */
export type StampResult = RequestStamp | Promise<RequestStamp> | undefined;

export interface StampOptions {
  /** The caller's signal: aborting stops this request's wait for a token, not the fetch others share. */
  signal?: AbortSignal;
  /** The Authorization header the caller set on the request, if any (respected unless `overwriteAuthorization`). */
  callerAuthorization?: string | null;
  /**
   * The Authorization value this request carried on its previous attempt (a redirect hop, a 401 retry). On a
   * token-exchange route the token is then for the same user as that one, whatever async context the client
   * runs the new attempt in.
   */
  previousAuthorization?: string;
}

export interface RejectionOptions {
  /** The adapter sends the request again (with a new token): published on `mca-oauth:request:retry` as a `'401'` retry. */
  retrying?: boolean;
}

export interface Stamper {
  /**
   * The headers for a request: `method` as it goes on the wire (`GET`), `url` absolute, as it will be sent.
   * Synchronous on a cache hit; a bearer hit returns the same stamp object every time (nothing allocated). With
   * the `dpop` option, each call signs a new proof for this method and URL (RFC 9449 §4.2).
   */
  stampFor(method: string, url: string | URL, options?: StampOptions): StampResult;
  /** `stampFor(method, origin + path)` for a request that arrives split (undici's `origin` and `path`). */
  stampForTarget(method: string, origin: string, path: string, options?: StampOptions): StampResult;
  /**
   * For a redirect hop of a request stamped with `stamp` (synchronous, for axios's and got's redirect hooks): the
   * hop's stamp, with a new proof for its own method and URL under DPoP, when it stays in the match; `undefined`
   * when it leaves the match, and then neither `Authorization` nor `DPoP` may go with it.
   */
  stampForHop(stamp: RequestStamp, method: string, url: string | URL): RequestStamp | undefined;
  /**
   * What to do with the response to a request sent with `stamp` to `url` (the URL of the hop that answered). Core
   * remembers a `DPoP-Nonce` the response carries, and on a 401 decides: `retry-with-nonce` (RFC 9449 §9: the
   * server asked for a nonce, the token is kept), `retry-with-new-token` (RFC 6750 §3.1: the token is dropped from
   * the cache), or `deliver`. Each kind of retry is given at most once per request (`record` keeps count, start
   * it at `{ retriesDone: 0 }` per request). When `replayable` is false (a stream body) no retry is given: the
   * response goes back, and a rejected token is dropped all the same. `headers` may be any header shape.
   */
  judgeResponse(stamp: RequestStamp, url: string | URL, status: number, headers: unknown, record: RetryRecord, replayable: boolean): ResponseVerdict;
  /**
   * The `Authorization` value for a request to `url` (absolute), synchronous on a cache hit. Kept for code
   * written before DPoP: on a `dpop` route it is `DPoP <token>` with no proof, so adapters use `stampFor`.
   */
  authorizationFor(url: string | URL, options?: StampOptions): AuthorizationResult;
  /**
   * `authorizationFor(origin + path)` for a request that arrives split, as undici's dispatch options do
   * (`origin` without a trailing slash, `path` starting with `/`): a hit costs no string join.
   */
  authorizationForTarget(origin: string, path: string, options?: StampOptions): AuthorizationResult;
  /** True when a request to `url` would carry a token: adapters strip ours from a redirect hop when this is false. */
  matches(url: string | URL): boolean;
  /**
   * A protected API answered 401 to a request that carried `authorization`: that token is not handed out again,
   * so a retry gets a new one. Concurrent calls for the same token cause one token request.
   */
  tokenRejected(url: string | URL, authorization: string, options?: RejectionOptions): void;
  /** Whether the caller's own Authorization header is replaced. */
  readonly overwriteAuthorization: boolean;
}

/** Counts the stamp always (an increment), and publishes it only while someone subscribes. */
function stamped(route: Route, url: string | URL, origin: string | undefined): void {
  route.counts.stamped++;
  if (channels.stamped.hasSubscribers) channels.stamped.publish({ key: route.source.key, name: route.name, origin: origin ?? originOf(url) });
}

function originOf(url: string | URL): string {
  if (typeof url !== 'string') return url.origin;
  // One parse, not canParse and then a parse: with a subscriber this runs on every request (~0.3 µs a parse).
  try {
    return new URL(url).origin;
  } catch {
    return 'unparsable';
  }
}

class RouteStamper implements Stamper {
  readonly overwriteAuthorization: boolean;
  readonly #routes: readonly Route[];
  readonly #cache: TokenCache;

  constructor(routes: readonly Route[], cache: TokenCache, overwriteAuthorization: boolean) {
    this.#routes = routes;
    this.#cache = cache;
    this.overwriteAuthorization = overwriteAuthorization;
  }

  authorizationFor(url: string | URL, options?: StampOptions): AuthorizationResult {
    const route = this.#routeFor(url);
    return route === undefined ? undefined : this.#authorizationOf(route, url, options);
  }

  authorizationForTarget(origin: string, path: string, options?: StampOptions): AuthorizationResult {
    // Joined only for events and warnings: a joined string costs little until its characters are read.
    const url = `${origin}${path}`;
    const route = this.#routeFor(url, origin, path);
    return route === undefined ? undefined : this.#authorizationOf(route, url, options, origin);
  }

  /** `origin`: the request's, when the caller already has it (events then need no URL parse: ~1 µs a request). */
  #authorizationOf(route: Route, url: string | URL, options: StampOptions | undefined, origin?: string): AuthorizationResult {
    if (!this.#stamps(route, url, options, origin)) return undefined;
    const entry = this.#entryOf(route, options);
    // Counted and published once the token is set, not before a token request that may fail.
    if (entry instanceof CachedToken) {
      stamped(route, url, origin);
      return entry.authorization;
    }
    return entry.then((fetched) => {
      stamped(route, url, origin);
      return fetched.authorization;
    });
  }

  /** The route's cache entry: the client's token, or under token exchange the current user's. */
  #entryOf(route: Route, options: StampOptions | undefined): CachedToken | Promise<CachedToken> {
    return route.exchange === undefined ? this.#cache.entry(route.source, options?.signal) : route.exchange.entry(this.#cache, options);
  }

  /** Whether a matched request gets our headers: not when the caller set its own (unless overwriteAuthorization). */
  #stamps(route: Route, url: string | URL, options: StampOptions | undefined, origin: string | undefined): boolean {
    const callerAuthorization = options?.callerAuthorization;
    if (callerAuthorization !== undefined && callerAuthorization !== null && !this.overwriteAuthorization) {
      route.counts.callerAuthorization++;
      if (channels.skipped.hasSubscribers) channels.skipped.publish({ reason: 'caller-authorization', origin: origin ?? originOf(url), name: route.name });
      return false;
    }
    return true;
  }

  stampFor(method: string, url: string | URL, options?: StampOptions): StampResult {
    const route = this.#routeFor(url);
    return route === undefined ? undefined : this.#stampOf(route, method, url, options);
  }

  stampForTarget(method: string, origin: string, path: string, options?: StampOptions): StampResult {
    const url = `${origin}${path}`;
    const route = this.#routeFor(url, origin, path);
    return route === undefined ? undefined : this.#stampOf(route, method, url, options, origin);
  }

  #stampOf(route: Route, method: string, url: string | URL, options: StampOptions | undefined, origin?: string): StampResult {
    if (!this.#stamps(route, url, options, origin)) return undefined;
    const entry = this.#entryOf(route, options);
    if (entry instanceof CachedToken) {
      stamped(route, url, origin);
      return entry.bearerStamp ?? dpopStamp(entry, method, url);
    }
    // Counted and published once the token is set, not before a token request that may fail.
    return entry.then((fetched) => {
      stamped(route, url, origin);
      return fetched.bearerStamp ?? dpopStamp(fetched, method, url);
    });
  }

  stampForHop(stamp: RequestStamp, method: string, url: string | URL): RequestStamp | undefined {
    if (!this.matches(url)) return undefined;
    return stamp.dpop === undefined ? stamp : dpopStamp(stamp.token, method, url);
  }

  judgeResponse(stamp: RequestStamp, url: string | URL, status: number, headers: unknown, record: RetryRecord, replayable: boolean): ResponseVerdict {
    const dpop = stamp.source.dpop;
    if (dpop === undefined) {
      if (status !== 401) return 'deliver';
    } else {
      // RFC 9449 §8.2, §9: a server may give a new nonce on any response; the next proof to that origin carries it.
      const nonce = dpop.rememberNonce(url, headers);
      if (status !== 401) return 'deliver';
      if (asksForDpopNonce(headerValueOf(headers, 'www-authenticate', true))) {
        // The proof lacked a fresh nonce: the token is fine, so it is kept (RFC 9449 §9).
        if (nonce === undefined || (record.retriesDone & NONCE_RETRY) !== 0) return 'deliver';
        record.retriesDone |= NONCE_RETRY;
        if (!replayable) return 'deliver';
        this.#publishRetry('dpop-nonce', url);
        return 'retry-with-nonce';
      }
    }
    if ((record.retriesDone & TOKEN_RETRY) !== 0) return 'deliver';
    record.retriesDone |= TOKEN_RETRY;
    // RFC 6750 §3.1: the token is no good; dropped even when the body forbids a retry, so the next request gets a new
    // one. The stamp's source is the one the token came from (a token exchange's: that user's).
    this.#cache.invalidate(stamp.source.key, stamp.authorization, stamp.source.backoff);
    const event = this.#eventFor(url);
    if (event !== undefined && channels.rejected.hasSubscribers) channels.rejected.publish(event);
    if (!replayable) return 'deliver';
    this.#publishRetry('401', url, event);
    return 'retry-with-new-token';
  }

  #publishRetry(kind: RetryEvent['kind'], url: string | URL, event = this.#eventFor(url)): void {
    if (event !== undefined && channels.retry.hasSubscribers) channels.retry.publish({ kind, ...event });
  }

  /** The route-level event fields for a response from `url` (a 401 or a retry: rare, so the route is looked up again). */
  #eventFor(url: string | URL): RejectedEvent | undefined {
    if (!channels.rejected.hasSubscribers && !channels.retry.hasSubscribers) return undefined;
    const route = this.#routes.find((candidate) => candidate.matcher.test(url) === 'match');
    return route === undefined ? undefined : { key: route.source.key, name: route.name, origin: originOf(url) };
  }

  matches(url: string | URL): boolean {
    return this.#routes.some((route) => route.matcher.test(url) === 'match');
  }

  tokenRejected(url: string | URL, authorization: string, options?: RejectionOptions): void {
    const route = this.#routeFor(url);
    if (route === undefined) return;
    if (route.exchange !== undefined) route.exchange.rejected(this.#cache, authorization);
    else this.#cache.invalidate(route.source.key, authorization, route.source.backoff);
    const event = { key: route.source.key, name: route.name, origin: originOf(url) };
    if (channels.rejected.hasSubscribers) channels.rejected.publish(event);
    if (options?.retrying === true && channels.retry.hasSubscribers) channels.retry.publish({ kind: '401', ...event });
  }

  /** The route `url` falls under; judged as `origin` and `path` when the request arrived split. */
  #routeFor(url: string | URL, origin?: string, path?: string): Route | undefined {
    for (const route of this.#routes) {
      const verdict = path === undefined ? route.matcher.test(url) : route.matcher.testTarget(origin!, path);
      if (verdict === 'match') return route;
      if (verdict === 'insecure') {
        this.#warnInsecure(route, url);
        return undefined;
      }
    }
    unmatchedCount.count++;
    if (channels.skipped.hasSubscribers) channels.skipped.publish({ reason: 'no-match', origin: origin ?? originOf(url) });
    return undefined;
  }

  #warnInsecure(route: Route, url: string | URL): void {
    route.counts.insecure++;
    if (channels.skipped.hasSubscribers) channels.skipped.publish({ reason: 'insecure', origin: originOf(url), name: route.name });
    if (route.warnedInsecure) return;
    route.warnedInsecure = true;
    process.emitWarning(
      `mca-oauth did not stamp a token on a plain-http request to ${originOf(url)}: tokens go only over https ` +
        '(or to loopback hosts). Use https, or set allowInsecureHttp on the route if the network is trusted.',
      { type: 'McaInsecureHttpWarning', code: 'MCA_INSECURE_HTTP' },
    );
  }
}

/** A DPoP stamp for one request: the token's `DPoP` Authorization and a new proof bound to it by `ath`. */
function dpopStamp(token: CachedToken, method: string, url: string | URL): RequestStamp {
  const source = token.source as TokenSource;
  const proof = (source.dpop as NonNullable<TokenSource['dpop']>).proof(method, url, token.ath);
  return new RequestStamp(token.authorization, proof, token, source);
}

/**
 * Validates the options once (throwing an McaError) and returns the stamper adapters use. An option name core
 * does not know, at any level, is refused (`MCA_UNKNOWN_OPTION`, with the nearest known name).
 */
export function createStamper(given: McaOptions = {}): Stamper {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw invalidOption('options', 'must be an object');
  checkMcaOptionNames(given);
  const options = ownOptions(given);
  const env = environmentOption(options.env) ?? process.env;
  const routes = compileRoutes(options, env);
  const cache =
    options.cache ?? (options.cacheSize !== undefined ? new TokenCache({ max: options.cacheSize }) : processTokenCache());
  if (!(cache instanceof TokenCache)) throw invalidOption('cache', 'must come from createTokenCache()');
  return new RouteStamper(routes, cache, optionalBoolean('overwriteAuthorization', options.overwriteAuthorization) ?? false);
}
