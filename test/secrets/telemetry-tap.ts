/**
 * What an OpenTelemetry backend would receive from `@mca-oauth/opentelemetry`: every exported span (name, attributes,
 * events, status) and every metric data point's attributes, kept for the scanner.
 */
import { McaInstrumentation } from '@mca-oauth/opentelemetry';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Sighting } from './leak-scanner.js';

export interface TelemetryTap {
  /** Everything exported since the last call: spans at once, metrics after a collection. */
  take(): Promise<Sighting[]>;
  stop(): Promise<void>;
}

export function tapTelemetry(): TelemetryTap {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const metrics = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumentation = new McaInstrumentation();
  instrumentation.setTracerProvider(tracerProvider);
  instrumentation.setMeterProvider(meterProvider);
  return {
    async take() {
      await reader.forceFlush();
      const seen: Sighting[] = spans.getFinishedSpans().map((span) => ({
        where: `OpenTelemetry span ${span.name}`,
        value: { attributes: span.attributes, events: span.events, status: span.status },
      }));
      for (const resource of metrics.getMetrics()) {
        for (const scope of resource.scopeMetrics) {
          for (const metric of scope.metrics) {
            seen.push({ where: `OpenTelemetry metric ${metric.descriptor.name}`, value: metric.dataPoints.map((point) => point.attributes) });
          }
        }
      }
      spans.reset();
      metrics.reset();
      return seen;
    },
    async stop() {
      instrumentation.disable();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
