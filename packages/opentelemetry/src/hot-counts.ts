/**
 * Counts of the events every request causes (cache lookups, stamps), kept in plain numbers and read by observable
 * counters when metrics are collected. A synchronous counter's `add` hashes its attributes on every call (about a
 * microsecond in sdk-metrics 2.x); an increment here costs nanoseconds, so a cache hit stays cheap with the
 * instrumentation registered. The numbers only grow: observable counters report cumulative values.
 */
import type { ObservableResult } from '@opentelemetry/api';
import type { SkippedEvent } from '@mca-oauth/core';
import { ATTRIBUTE_NAMES } from './names.js';

type LookupResult = 'hit' | 'miss' | 'stale' | 'refresh';
type SkipReason = SkippedEvent['reason'];

export class HotCounts {
  readonly lookups: Record<LookupResult, number> = { hit: 0, miss: 0, stale: 0, refresh: 0 };
  /** By route name. */
  readonly stamped = new Map<string, number>();
  readonly skipped = new Map<SkipReason, number>();

  stamp(route: string): void {
    this.stamped.set(route, (this.stamped.get(route) ?? 0) + 1);
  }

  skip(reason: SkipReason): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }

  observeLookups(result: ObservableResult): void {
    for (const [name, count] of Object.entries(this.lookups)) result.observe(count, { [ATTRIBUTE_NAMES.cacheResult]: name });
  }

  observeStamps(result: ObservableResult): void {
    for (const [route, count] of this.stamped) {
      result.observe(count, { [ATTRIBUTE_NAMES.stampResult]: 'stamped', [ATTRIBUTE_NAMES.route]: route });
    }
    for (const [reason, count] of this.skipped) {
      result.observe(count, { [ATTRIBUTE_NAMES.stampResult]: 'skipped', [ATTRIBUTE_NAMES.stampSkipReason]: reason });
    }
  }
}
