/**
 * The one function every adapter calls: a request URL in, the `Authorization` value to set (or none) out,
 * plus "this token was rejected" for 401 handling. Adapters hold no token logic.
 */
import { processTokenCache, TokenCache } from '../cache/token-cache.js';
import type { McaOptions } from '../config/options.js';
import { environmentOption, invalidOption, optionalBoolean } from '../config/validate.js';
import { channels } from '../observability/channels.js';
import { unmatchedCount } from '../observability/counts.js';
import { ownOptions } from '../config/own-options.js';
import { checkMcaOptionNames } from '../config/known-options.js';
import { compileRoutes, type Route } from './routes.js';

/** `undefined`: leave the request alone. A string: set it. A promise: set what it resolves to (it rejects with an McaError). */
export type AuthorizationResult = string | Promise<string> | undefined;

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
  /** The `Authorization` value for a request to `url` (absolute), synchronous on a cache hit. */
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
    const callerAuthorization = options?.callerAuthorization;
    if (callerAuthorization !== undefined && callerAuthorization !== null && !this.overwriteAuthorization) {
      route.counts.callerAuthorization++;
      if (channels.skipped.hasSubscribers) channels.skipped.publish({ reason: 'caller-authorization', origin: origin ?? originOf(url), name: route.name });
      return undefined;
    }
    const authorization =
      route.exchange === undefined ? this.#cache.authorization(route.source, options?.signal) : route.exchange.authorization(this.#cache, options);
    // Counted and published once the token is set, not before a token request that may fail.
    if (typeof authorization === 'string') {
      stamped(route, url, origin);
      return authorization;
    }
    return authorization.then((value) => {
      stamped(route, url, origin);
      return value;
    });
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
