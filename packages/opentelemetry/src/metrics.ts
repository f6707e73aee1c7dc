/** The metric instruments, created from the instrumentation's current meter (a new meter provider makes new ones). */
import { ValueType, type Counter, type Histogram, type Meter, type ObservableResult } from '@opentelemetry/api';
import type { HotCounts } from './hot-counts.js';
import { METRIC_NAMES } from './names.js';

/** The synchronous instruments, for events that are rare (a token request, a 401); per-request counts are in `HotCounts`. */
export interface McaMetrics {
  readonly tokenRequests: Counter;
  readonly tokenRequestDuration: Histogram;
  readonly rejections: Counter;
  readonly retries: Counter;
  readonly storeErrors: Counter;
}

/** Token requests take milliseconds to seconds; the SDK's default HTTP buckets (in seconds) fit them. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export function createMetrics(meter: Meter, counts: HotCounts): McaMetrics {
  const counter = (name: string, description: string, unit: string): Counter =>
    meter.createCounter(name, { description, unit, valueType: ValueType.INT });
  const observed = (name: string, description: string, unit: string, observe: (result: ObservableResult) => void): void => {
    meter.createObservableCounter(name, { description, unit, valueType: ValueType.INT }).addCallback(observe);
  };
  observed(METRIC_NAMES.cacheLookups, 'Token cache lookups: hit, miss, stale (served past its refresh point), refresh.', '{lookup}', (result) =>
    counts.observeLookups(result));
  observed(METRIC_NAMES.stamps, 'Requests given a token (stamped) or left alone (skipped, with the reason).', '{request}', (result) =>
    counts.observeStamps(result));
  return {
    tokenRequests: counter(METRIC_NAMES.tokenRequests, 'Token requests made to a token endpoint, by outcome.', '{request}'),
    tokenRequestDuration: meter.createHistogram(METRIC_NAMES.tokenRequestDuration, {
      description: 'How long token requests took, from sending to a checked answer or a failure.',
      unit: 's',
      valueType: ValueType.DOUBLE,
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    rejections: counter(METRIC_NAMES.rejections, 'Responses 401 to a request that carried our token.', '{response}'),
    retries: counter(METRIC_NAMES.retries, 'Requests sent again by mca-oauth: after a 401, or with a DPoP nonce.', '{request}'),
    storeErrors: counter(METRIC_NAMES.storeErrors, 'Failures of the shared token store; mca-oauth went on without it.', '{error}'),
  };
}
