/**
 * Plain numbers for what every request does (cache lookups, stamps), counted always: an increment costs about a
 * nanosecond, where a `diagnostics_channel` event with a subscriber costs ~70 ns on every cache hit. A metrics
 * reader (`@mca-oauth/opentelemetry`) reads them with `readMcaCounts()` when it collects, so a cache hit costs the
 * same whether or not it is registered. The channels are still published, as before, while someone subscribes.
 *
 * The numbers live on `globalThis` under a `Symbol.for` key, so that two loaded copies of core (an app and a
 * dependency on different versions, or ESM and CommonJS builds) count into one registry. One entry per route name,
 * never per URL or per stamper: the registry stays as small as the configuration, and nothing leaks when stampers
 * are dropped. The numbers only grow (monotonic counters).
 */

/** The counts of one route name (`RouteOptions.name`, or its match's origin and path; `seed` for the seed API). */
export interface RouteCounts {
  /** Cache lookups that found a usable token. Counted by the token's source, which carries the first route's name. */
  hit: number;
  /** Hits on a token past its refresh point (a refresh is under way or backing off); not counted in `hit`. */
  stale: number;
  /** Lookups that found no usable token: the request waited for a token request. */
  miss: number;
  /** Refreshes ahead of expiry begun. */
  refresh: number;
  /** Requests given a token by this route (once the token was set). */
  stamped: number;
  /** Requests this route matched that were left alone: plain http to a non-loopback host. */
  insecure: number;
  /** Requests this route matched that were left alone: the caller set its own Authorization. */
  callerAuthorization: number;
}

/** A snapshot of the process's counts, from every loaded copy of core. */
export interface McaCounts {
  /** By route name. */
  readonly routes: Readonly<Record<string, Readonly<RouteCounts>>>;
  /** Requests that no route matched. */
  readonly noMatch: number;
}

/** The shape shared between copies of core; `version` changes if the shape ever does. */
interface CountRegistry {
  readonly version: 1;
  readonly routes: Map<string, RouteCounts>;
  readonly unmatched: { count: number };
}

const REGISTRY_KEY = Symbol.for('@mca-oauth/core.counts');

function registry(): CountRegistry {
  const global = globalThis as { [REGISTRY_KEY]?: CountRegistry };
  global[REGISTRY_KEY] ??= { version: 1, routes: new Map(), unmatched: { count: 0 } };
  return global[REGISTRY_KEY];
}

/** The counts of route `name`, shared by every route and token source of that name. Called once per route, not per request. */
export function routeCounts(name: string): RouteCounts {
  const { routes } = registry();
  let counts = routes.get(name);
  if (counts === undefined) {
    counts = { hit: 0, stale: 0, miss: 0, refresh: 0, stamped: 0, insecure: 0, callerAuthorization: 0 };
    routes.set(name, counts);
  }
  return counts;
}

/** Requests no route matched: one number for the process. */
export const unmatchedCount: { count: number } = registry().unmatched;

/**
 * The process's counts of cache lookups and stamps since core was loaded, for metrics readers: a copy, read when
 * metrics are collected, not per request. They count whether or not anyone subscribes to the channels.
 */
export function readMcaCounts(): McaCounts {
  const { routes: live, unmatched } = registry();
  // fromEntries: a route named `__proto__` is a key like any other.
  return { routes: Object.fromEntries([...live].map(([name, counts]) => [name, { ...counts }])), noMatch: unmatched.count };
}
