/**
 * `McaInstrumentation`: turns mca-oauth's `node:diagnostics_channel` events into spans, span events and metrics,
 * the way opentelemetry-js-contrib's instrumentation-undici does for undici. Core imports nothing of
 * OpenTelemetry, and its channels cost nothing until this subscribes.
 */
import diagnostics from 'node:diagnostics_channel';
import { trace, type Attributes } from '@opentelemetry/api';
import { InstrumentationBase, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import {
  CHANNEL_NAMES,
  type CacheEvent, type RejectedEvent, type RetryEvent, type StoreAdoptEvent, type StoreErrorEvent,
  type TokenRequestEndEvent, type TokenRequestErrorEvent, type TokenRequestStartEvent,
} from '@mca-oauth/core';
import { HotCounts } from './hot-counts.js';
import { createMetrics, type McaMetrics } from './metrics.js';
import { ATTRIBUTE_NAMES, EVENT_NAMES } from './names.js';
import { targetAttributes, TokenSpans } from './token-spans.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

/** The options of `McaInstrumentation`: OpenTelemetry's common ones (`enabled`, default true). */
export type McaInstrumentationConfig = InstrumentationConfig;

type Listener = (message: unknown) => void;


export class McaInstrumentation extends InstrumentationBase<McaInstrumentationConfig> {
  // `declare`: the base constructor calls enable() and _updateMetricInstruments() before a subclass's field
  // initializers would run, and an initializer would then wipe what they set.
  declare private _subscriptions: [string, Listener][] | undefined;
  declare private _metrics: McaMetrics;
  declare private _counts: HotCounts | undefined;
  declare private _spans: TokenSpans | undefined;

  constructor(config: McaInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** Patches no module: everything comes from core's channels. */
  protected override init(): undefined {
    return undefined;
  }

  protected override _updateMetricInstruments(): void {
    // Counts survive a new meter provider: observable counters report them cumulatively.
    this._counts ??= new HotCounts();
    this._metrics = createMetrics(this.meter, this._counts);
  }

  override enable(): void {
    if (this._subscriptions !== undefined) return;
    const spans = (this._spans = new TokenSpans());
    (this._counts ??= new HotCounts()).enable();
    const on = <T>(channel: string, listener: (event: T) => void): [string, Listener] => [channel, listener as Listener];
    this._subscriptions = [
      on<TokenRequestStartEvent>(CHANNEL_NAMES.tokenRequestStart, (event) => spans.start(this.tracer, event)),
      on<TokenRequestEndEvent>(CHANNEL_NAMES.tokenRequestEnd, (event) => {
        this.#recordTokenRequest(event, spans.succeeded(event) ? 'adopted' : 'success', event.durationMs);
      }),
      on<TokenRequestErrorEvent>(CHANNEL_NAMES.tokenRequestError, (event) => {
        spans.failed(event);
        this.#recordTokenRequest(event, 'failure', event.durationMs, event.code);
      }),
      // Hits, stale hits, refreshes, stamps and skips are read from core's counts (HotCounts), not subscribed to:
      // an event per request would cost ~70 ns a cache hit. A miss still is, for its span event.
      on<CacheEvent>(CHANNEL_NAMES.cacheMiss, () => trace.getActiveSpan()?.addEvent(EVENT_NAMES.tokenWait)),
      on<RejectedEvent>(CHANNEL_NAMES.rejected, (event) => this._metrics.rejections.add(1, { [ATTRIBUTE_NAMES.route]: event.name })),
      on<RetryEvent>(CHANNEL_NAMES.retry, (event) => {
        const attributes = { [ATTRIBUTE_NAMES.retryKind]: event.kind, [ATTRIBUTE_NAMES.route]: event.name };
        this._metrics.retries.add(1, attributes);
        trace.getActiveSpan()?.addEvent(EVENT_NAMES.retry, attributes);
      }),
      on<StoreAdoptEvent>(CHANNEL_NAMES.storeAdopt, (event) => spans.adopted(event.key)),
      on<StoreErrorEvent>(CHANNEL_NAMES.storeError, (event) =>
        this._metrics.storeErrors.add(1, { [ATTRIBUTE_NAMES.storeOperation]: event.operation, [ATTRIBUTE_NAMES.errorType]: event.code })),
    ];
    for (const [channel, listener] of this._subscriptions) diagnostics.subscribe(channel, listener);
  }

  override disable(): void {
    if (this._subscriptions === undefined) return;
    for (const [channel, listener] of this._subscriptions) diagnostics.unsubscribe(channel, listener);
    this._subscriptions = undefined;
    this._counts?.disable();
    this._spans?.endAll();
    this._spans = undefined;
  }

  #recordTokenRequest(event: TokenRequestStartEvent, outcome: 'success' | 'failure' | 'adopted', durationMs: number, errorType?: string): void {
    const attributes: Attributes = { ...targetAttributes(event), [ATTRIBUTE_NAMES.outcome]: outcome };
    if (errorType !== undefined) attributes[ATTRIBUTE_NAMES.errorType] = errorType;
    this._metrics.tokenRequests.add(1, attributes);
    this._metrics.tokenRequestDuration.record(durationMs / 1000, attributes);
  }
}
