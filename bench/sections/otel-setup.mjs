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
  // An app's SDK has its context manager at work before the requests we stamp: its HTTP instrumentation runs
  // each incoming request in `context.with`, and span processors export in one. The first such call switches on
  // the async hooks behind AsyncLocalStorage, which from then on tax every promise (measured: ~50 ns a McaAgent
  // hit, ~1.2 µs an axios hit, none for got's synchronous hooks). Both variants do it here, with an app span of
  // their own, so that "with" does not alone pay for waking the SDK when the first token request's span is exported.
  tracerProvider.getTracer('app').startActiveSpan('app start', (span) => span.end());
  if (instrumented) registerInstrumentations({ instrumentations: [new McaInstrumentation()], tracerProvider, meterProvider });
}
