/**
 * A tracer and a meter provider with in-memory exporters, the async-hooks context manager an app's SDK installs,
 * and the instrumentation registered the way apps do (`registerInstrumentations`).
 */
import { context, trace, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { McaInstrumentation } from '../../src/index.js';
import { startInMemoryTelemetry } from '../../../../test-support/in-memory-telemetry.js';
import { startTestWorld, type TestWorld } from '../../../../test-support/world.js';

export interface Telemetry {
  readonly instrumentation: McaInstrumentation;
  /** Ends and forgets what was exported so far (spans and metrics), between tests. */
  reset(): Promise<void>;
  spans(): ReadableSpan[];
  /** The data points of one metric since the last reset: attributes and value (a histogram's count). */
  points(metric: string): { attributes: Record<string, unknown>; value: number }[];
  /** Collects metrics now. */
  collect(): Promise<void>;
  /** Runs `work` as the application's request: inside an active span, ended afterwards. */
  inAppSpan<T>(work: (span: Span) => Promise<T>): Promise<{ span: ReadableSpan; result: T }>;
  shutdown(): Promise<void>;
}

export function startTelemetry(): Telemetry {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  // Delta metrics: each test reads only what it caused.
  const pipeline = startInMemoryTelemetry();
  const { tracerProvider, meterProvider } = pipeline;
  const instrumentation = new McaInstrumentation();
  const unregister = registerInstrumentations({ instrumentations: [instrumentation], tracerProvider, meterProvider });
  const appTracer = tracerProvider.getTracer('app');

  return {
    instrumentation,
    async reset() {
      await pipeline.collect();
      pipeline.reset();
    },
    spans: () => pipeline.spans(),
    collect: () => pipeline.collect(),
    points(metric) {
      const found: { attributes: Record<string, unknown>; value: number }[] = [];
      for (const resource of pipeline.metrics()) {
        for (const scope of resource.scopeMetrics) {
          for (const data of scope.metrics) {
            if (data.descriptor.name !== metric) continue;
            for (const point of data.dataPoints as DataPoint<number | Histogram>[]) {
              const value = typeof point.value === 'number' ? point.value : point.value.count;
              if (value !== 0) found.push({ attributes: { ...point.attributes }, value });
            }
          }
        }
      }
      return found;
    },
    async inAppSpan(work) {
      let ended: ReadableSpan | undefined;
      const result = await appTracer.startActiveSpan('GET /orders', async (span) => {
        try {
          return await work(span);
        } finally {
          span.end();
          ended = span as unknown as ReadableSpan;
        }
      });
      return { span: ended!, result };
    },
    async shutdown() {
      unregister();
      instrumentation.disable();
      await pipeline.shutdown();
      trace.disable();
      context.disable();
    },
  };
}

/** The total of a counter's points whose attributes include `expected`. */
export function total(points: { attributes: Record<string, unknown>; value: number }[], expected: Record<string, unknown> = {}): number {
  return points
    .filter((point) => Object.entries(expected).every(([name, value]) => point.attributes[name] === value))
    .reduce((sum, point) => sum + point.value, 0);
}

/** A test file's servers (test-support's world) and telemetry, started before its tests and stopped after. */
export function useTelemetryWorld(): { readonly world: TestWorld; readonly telemetry: Telemetry } {
  const scene = {} as { world: TestWorld; telemetry: Telemetry };
  beforeAll(async () => {
    scene.world = await startTestWorld();
    scene.telemetry = startTelemetry();
  });
  afterAll(async () => {
    await scene.telemetry?.shutdown();
    await scene.world?.close();
  });
  return scene;
}
