/**
 * What an OpenTelemetry backend would receive from `@mca-oauth/opentelemetry`: every exported span (name, attributes,
 * events, status) and every metric data point's attributes, kept for the scanner.
 */
import { McaInstrumentation } from '@mca-oauth/opentelemetry';
import { startInMemoryTelemetry } from '../../test-support/in-memory-telemetry.js';
import type { Sighting } from './leak-scanner.js';

export interface TelemetryTap {
  /** Everything exported since the last call: spans at once, metrics after a collection. */
  take(): Promise<Sighting[]>;
  stop(): Promise<void>;
}

export function tapTelemetry(): TelemetryTap {
  const pipeline = startInMemoryTelemetry();
  const instrumentation = new McaInstrumentation();
  instrumentation.setTracerProvider(pipeline.tracerProvider);
  instrumentation.setMeterProvider(pipeline.meterProvider);
  return {
    async take() {
      await pipeline.collect();
      const seen: Sighting[] = pipeline.spans().map((span) => ({
        where: `OpenTelemetry span ${span.name}`,
        value: { attributes: span.attributes, events: span.events, status: span.status },
      }));
      for (const resource of pipeline.metrics()) {
        for (const scope of resource.scopeMetrics) {
          for (const metric of scope.metrics) {
            seen.push({ where: `OpenTelemetry metric ${metric.descriptor.name}`, value: metric.dataPoints.map((point) => point.attributes) });
          }
        }
      }
      pipeline.reset();
      return seen;
    },
    async stop() {
      instrumentation.disable();
      await pipeline.shutdown();
    },
  };
}
