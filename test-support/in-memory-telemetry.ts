/**
 * What an OpenTelemetry backend would receive, kept in memory: a tracer provider and a meter provider whose
 * exporters hold every finished span and, after a collection, every metric data point. One pipeline for the
 * opentelemetry package's tests and for the secrets suite's scanner, so both read what an app's SDK would export.
 */
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

export interface InMemoryTelemetry {
  readonly tracerProvider: BasicTracerProvider;
  readonly meterProvider: MeterProvider;
  /** The spans finished since the last reset. */
  spans(): ReadableSpan[];
  /** Exports the metrics now (the reader's own period is an hour: tests collect when they read). */
  collect(): Promise<void>;
  /** The metrics exported since the last reset: delta temporality, so only what happened in between. */
  metrics(): ResourceMetrics[];
  /** Forgets the spans and metrics exported so far. */
  reset(): void;
  shutdown(): Promise<void>;
}

export function startInMemoryTelemetry(): InMemoryTelemetry {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    spans: () => spanExporter.getFinishedSpans(),
    collect: () => reader.forceFlush(),
    metrics: () => metricExporter.getMetrics(),
    reset() {
      spanExporter.reset();
      metricExporter.reset();
    },
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
