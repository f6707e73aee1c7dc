/**
 * The per-request counts (cache lookups, stamps), read from core's plain numbers (`readMcaCounts()`) when metrics
 * are collected: this package subscribes to no per-request channel, so a cache hit costs the same with the
 * instrumentation registered as without. Core counts from the moment it is loaded; an instrumentation reports
 * only what happened while it was enabled (a baseline taken on `enable()`, a total kept on `disable()`), like the
 * channel subscriptions it replaces. Each instrumentation keeps its own baseline, so two never share a count.
 */
import type { ObservableResult } from '@opentelemetry/api';
import { readMcaCounts, type McaCounts, type SkippedEvent } from '@mca-oauth/core';
import { ATTRIBUTE_NAMES } from './names.js';

type Attributes = Record<string, string>;
interface Series { readonly attributes: Attributes; readonly value: number }
/** Series by a key made of their attributes. */
type SeriesMap = Map<string, Series>;

const LOOKUP_RESULTS = ['hit', 'miss', 'stale', 'refresh'] as const;

function put(into: SeriesMap, attributes: Attributes, value: number): void {
  const key = JSON.stringify(attributes);
  into.set(key, { attributes, value: (into.get(key)?.value ?? 0) + value });
}

/** The lookups: summed over route names, as the metric's only attribute is the result. */
function lookupSeries(counts: McaCounts): SeriesMap {
  const series: SeriesMap = new Map();
  for (const route of Object.values(counts.routes)) {
    for (const result of LOOKUP_RESULTS) put(series, { [ATTRIBUTE_NAMES.cacheResult]: result }, route[result]);
  }
  return series;
}

/** Stamps by route; skips by reason (no route: `no-match` has none). */
function stampSeries(counts: McaCounts): SeriesMap {
  const series: SeriesMap = new Map();
  const skipped = (reason: SkippedEvent['reason'], value: number): void => {
    if (value > 0) put(series, { [ATTRIBUTE_NAMES.stampResult]: 'skipped', [ATTRIBUTE_NAMES.stampSkipReason]: reason }, value);
  };
  for (const [route, each] of Object.entries(counts.routes)) {
    if (each.stamped > 0) put(series, { [ATTRIBUTE_NAMES.stampResult]: 'stamped', [ATTRIBUTE_NAMES.route]: route }, each.stamped);
    skipped('insecure', each.insecure);
    skipped('caller-authorization', each.callerAuthorization);
  }
  skipped('no-match', counts.noMatch);
  return series;
}

/** One metric's view of core's counts: what happened while enabled. */
class EnabledCounts {
  readonly #read: (counts: McaCounts) => SeriesMap;
  /** Core's values when this was last enabled, less what was reported before. */
  #baseline: SeriesMap = new Map();
  /** What was reported when disabled; `undefined` while enabled. */
  #frozen: SeriesMap | undefined = new Map();

  constructor(read: (counts: McaCounts) => SeriesMap) {
    this.#read = read;
  }

  enable(now: McaCounts): void {
    if (this.#frozen === undefined) return;
    const frozen = this.#frozen;
    this.#baseline = new Map();
    for (const [key, { attributes, value }] of this.#read(now)) {
      this.#baseline.set(key, { attributes, value: value - (frozen.get(key)?.value ?? 0) });
    }
    this.#frozen = undefined;
  }

  disable(now: McaCounts): void {
    if (this.#frozen === undefined) this.#frozen = this.#since(now);
  }

  observe(result: ObservableResult, now: McaCounts): void {
    // A series still at zero here is one that never moved while enabled (a route used before, say): not reported,
    // as a synchronous counter never added to is not.
    for (const { attributes, value } of (this.#frozen ?? this.#since(now)).values()) if (value !== 0) result.observe(value, attributes);
  }

  #since(now: McaCounts): SeriesMap {
    const series: SeriesMap = new Map();
    for (const [key, { attributes, value }] of this.#read(now)) {
      series.set(key, { attributes, value: value - (this.#baseline.get(key)?.value ?? 0) });
    }
    return series;
  }
}

export class HotCounts {
  readonly #lookups = new EnabledCounts(lookupSeries);
  readonly #stamps = new EnabledCounts(stampSeries);

  enable(): void {
    const now = readMcaCounts();
    this.#lookups.enable(now);
    this.#stamps.enable(now);
  }

  disable(): void {
    const now = readMcaCounts();
    this.#lookups.disable(now);
    this.#stamps.disable(now);
  }

  observeLookups(result: ObservableResult): void {
    this.#lookups.observe(result, readMcaCounts());
  }

  observeStamps(result: ObservableResult): void {
    this.#stamps.observe(result, readMcaCounts());
  }
}
