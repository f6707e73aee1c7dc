// The OpenTelemetry SDK an app has (a tracer provider, a meter provider with a periodic reader, the async-hooks
// context manager), set up in a section-1b child before its task is built; with `instrumented`, McaInstrumentation
// is registered too. Both variants of the otel section have the SDK, so the difference is ours alone.
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { McaInstrumentation } from '@mca-oauth/opentelemetry';

export function setUpOpenTelemetry(instrumented) {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
  const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(), exportIntervalMillis: 10_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  if (instrumented) registerInstrumentations({ instrumentations: [new McaInstrumentation()], tracerProvider, meterProvider });
}
