/** Turns `match`, `routes` and the token options into an ordered list of routes; first match wins. */
import { backoffPolicy } from '../cache/backoff.js';
import { lifetimePolicy } from '../cache/lifetime-policy.js';
import type { TokenSource } from '../cache/token-cache.js';
import { MATCH_VARIABLE } from '../config/environment.js';
import type { McaOptions, RouteOptions, TokenOptions } from '../config/options.js';
import { resolveTokenConfig, withPlatformDefaults, type DpopProvers } from '../config/resolve.js';
import { ownOptions } from '../config/own-options.js';
import { invalidOption, optionalText } from '../config/validate.js';
import { refuseInsecurePrefixes } from '../config/insecure-match.js';
import { isMcaError, McaError, McaErrorCodes, optionErrorUnder } from '../errors/index.js';
import { createMatcher, type MatchInput, type UrlMatcher } from '../matching/index.js';
import { createTokenObserver } from '../observability/token-observer.js';
import { routeCounts, type RouteCounts } from '../observability/counts.js';
import { createSharedStoreObserver, sharedStoreOption } from '../shared-store/index.js';
import { createTokenSource, tokenRequestTarget, type SharedStoreSetting } from './token-source.js';
import { defaultRouteName } from './route-name.js';
import { createExchangeRoute, type ExchangeRoute } from '../exchange/exchange-route.js';

export interface Route {
  readonly matcher: UrlMatcher;
  readonly source: TokenSource;
  /** The route's name in events: the `name` option, else its match's origin and path (see `RouteOptions.name`). */
  readonly name: string;
  /** Set when the route's tokens come from token exchange: `source` then stands for "no user" and is not asked. */
  readonly exchange?: ExchangeRoute;
  /** Set once the insecure-http warning has been emitted for this route. */
  warnedInsecure: boolean;
  /** The stamps of this route's name, counted on every request (`readMcaCounts`). */
  readonly counts: RouteCounts;
}

/** Options that are about matching and caching, not about the token itself. */
const NON_TOKEN_OPTIONS = new Set([
  'match', 'name', 'routes', 'overwriteAuthorization', 'cacheSize', 'cache', 'refreshAhead', 'clockSkewMs', 'backoff', 'logger', 'env', 'store',
  'exchange',
]);

function tokenOptionsOf(options: object): TokenOptions {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    if (!NON_TOKEN_OPTIONS.has(key) && value !== undefined) picked[key] = value;
  }
  return picked as TokenOptions;
}

function matchFromEnvironment(env: Readonly<Record<string, string | undefined>>): MatchInput | undefined {
  const prefixes = (env[MATCH_VARIABLE] ?? '').split(',').map((prefix) => prefix.trim()).filter((prefix) => prefix !== '');
  return prefixes.length === 0 ? undefined : prefixes;
}

/**
 * `resolve()`, with an option error about one of the route's own options named by its path (`routes[1].scope`):
 * a route's token options are resolved merged over the top level's, where a bad value may come from either.
 */
function resolvedFor<T>(route: object, prefix: string, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    const option = isMcaError(error) ? error.option : undefined;
    // A key the route sets to undefined is inherited from the top level, where its value was written.
    if (prefix === '' || option === undefined || (route as Record<string, unknown>)[/^[^.[]*/.exec(option)![0]] === undefined) throw error;
    throw optionErrorUnder(error, prefix);
  }
}

export function compileRoutes(options: McaOptions, env: Readonly<Record<string, string | undefined>>): Route[] {
  if (options.routes !== undefined && !Array.isArray(options.routes)) throw invalidOption('routes', 'must be an array');
  const routeOptions: readonly RouteOptions[] = options.routes ?? [];
  const match = options.match ?? matchFromEnvironment(env);
  if (routeOptions.length === 0 && match === undefined) {
    throw new McaError(
      McaErrorCodes.NO_MATCH_CONFIGURED,
      `No 'match' or 'routes' is configured (nor ${MATCH_VARIABLE}): mca-oauth never stamps every URL; say which URLs get a token.`,
    );
  }
  const policies = {
    lifetime: lifetimePolicy(options.refreshAhead === undefined ? undefined : ownOptions(options.refreshAhead), options.clockSkewMs),
    backoff: backoffPolicy(options.backoff === undefined ? undefined : ownOptions(options.backoff)),
  };
  const store = sharedStoreOption(options.store);
  const shared: Omit<SharedStoreSetting, 'observer'> | undefined =
    store === undefined ? undefined : { store, clockSkewMs: policies.lifetime.clockSkewMs };
  const base = tokenOptionsOf(options);
  const sources = new Map<string, TokenSource>();
  const predicates = { count: 0 };
  const dpopProvers: DpopProvers = new Map();
  const exchanges = new Map<string, ExchangeRoute>();
  const compile = (route: RouteOptions, label: string): Route => {
    if (typeof route !== 'object' || route === null) throw invalidOption(label, 'must be an object');
    route = ownOptions(route);
    const prefix = label === 'options' ? '' : `${label}.`;
    const config = resolvedFor(route, prefix, () => resolveTokenConfig(withPlatformDefaults({ ...base, ...tokenOptionsOf(route) }, env), env, dpopProvers));
    const matcher = createMatcher(route.match, { allowInsecureHttp: config.allowInsecureHttp, optionName: `${prefix}match` });
    refuseInsecurePrefixes(route.match, config.allowInsecureHttp, `${prefix}match`);
    const name = optionalText(`${prefix}name`, route.name) ?? defaultRouteName(route.match, predicates);
    if (route.exchange !== undefined) {
      const created = createExchangeRoute(label, route.exchange, config, { ...policies, observer: createTokenObserver(options.logger, name) });
      // Routes that exchange for the same token share one cache entry per user.
      const exchange = exchanges.get(created.key) ?? created;
      exchanges.set(exchange.key, exchange);
      return { matcher, source: exchange.source, name, exchange, warnedInsecure: false, counts: routeCounts(name) };
    }
    // Routes that need the same token share one provider, so discovery and single flight are shared too; its
    // token events carry the name of the first route that needs it. Same token, other proxy or TLS settings:
    // a provider of its own, or one route would use the other's network.
    const sourceKey = `${config.cacheKey} ${config.proxy.key} ${config.tls.agentKey}`;
    let source = sources.get(sourceKey);
    if (source === undefined) {
      const sharing = shared === undefined ? undefined : { ...shared, observer: createSharedStoreObserver(options.logger, name) };
      source = createTokenSource(config, { ...policies, observer: createTokenObserver(options.logger, name, tokenRequestTarget(config)) }, sharing);
      sources.set(sourceKey, source);
    }
    return { matcher, source, name, warnedInsecure: false, counts: routeCounts(name) };
  };
  const routes = routeOptions.map((route, index) => compile(route, `routes[${index}]`));
  if (match !== undefined) routes.push(compile({ match, ...(options.name !== undefined && { name: options.name }) }, 'options'));
  return routes;
}
