/**
 * Cache lookups and stamps are read from core's counts (`readMcaCounts()`) at collection time, not from a
 * per-request channel: through each adapter they equal what real requests did, and a second instrumentation,
 * `disable()` and `enable()` count nothing twice and nothing that happened while disabled.
 */
import diagnostics from 'node:diagnostics_channel';
import { CHANNEL_NAMES, readMcaCounts } from '@mca-oauth/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint } from '@opentelemetry/sdk-metrics';
import { ATTRIBUTE_NAMES, McaInstrumentation, METRIC_NAMES } from '../src/index.js';
import { clients } from './support/clients.js';
import { total, useTelemetryWorld } from './support/telemetry.js';

const scene = useTelemetryWorld();
beforeEach(async () => {
  scene.world.auth.stats.reset();
  await scene.telemetry.reset();
});

const HITS = 4;

/** Stamped requests of route `name`, and cache lookups with `result`, from a set of data points. */
const stamped = (points: Parameters<typeof total>[0], name: string): number =>
  total(points, { [ATTRIBUTE_NAMES.stampResult]: 'stamped', [ATTRIBUTE_NAMES.route]: name });
const lookups = (points: Parameters<typeof total>[0], result: string): number => total(points, { [ATTRIBUTE_NAMES.cacheResult]: result });

describe.each(clients)('$name', ({ name: clientName, create }) => {
  it('the counts read from core, and the metrics, equal the requests sent: one miss, then hits; a skip for no match', async () => {
    const route = `counted-by-${clientName}`;
    const before = readMcaCounts();
    const { match: _match, ...shared } = scene.world.options();
    const client = create({ ...shared, routes: [{ match: `${scene.world.api.url}/api`, name: route }] });
    try {
      for (let index = 0; index <= HITS; index++) expect(await client.get(`${scene.world.api.url}/api/echo?n=${index}`)).toBe(200);
      expect(await client.get(`${scene.world.elsewhere.url}/other`)).toBe(200);
    } finally {
      await client.close();
    }
    expect(scene.world.auth.stats.tokenRequests).toBe(1);
    const now = readMcaCounts();
    expect(now.routes[route]).toMatchObject({ miss: 1, hit: HITS, stamped: HITS + 1, stale: 0 });
    expect(before.routes[route]).toBeUndefined();
    expect(now.noMatch - before.noMatch).toBe(1);

    await scene.telemetry.collect();
    const stamps = scene.telemetry.points(METRIC_NAMES.stamps);
    expect(stamped(stamps, route)).toBe(HITS + 1);
    expect(total(stamps, { [ATTRIBUTE_NAMES.stampResult]: 'skipped', [ATTRIBUTE_NAMES.stampSkipReason]: 'no-match' })).toBe(1);
    const cache = scene.telemetry.points(METRIC_NAMES.cacheLookups);
    expect([lookups(cache, 'miss'), lookups(cache, 'hit')]).toEqual([1, HITS]);
    // The hits published nothing: the instrumentation subscribes to no per-request channel.
    expect(diagnostics.channel(CHANNEL_NAMES.cacheHit).hasSubscribers).toBe(false);
    expect(diagnostics.channel(CHANNEL_NAMES.stamped).hasSubscribers).toBe(false);
  });
});

type Points = Parameters<typeof total>[0];

/** A second instrumentation with its own meter provider, as a second SDK in one process would have it. */
function secondInstrumentation(): { collect(): Promise<void>; points(metric: string): Points; stop(): Promise<void> } {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumentation = new McaInstrumentation();
  const unregister = registerInstrumentations({ instrumentations: [instrumentation], meterProvider });
  return {
    /** Collects now; `points` then reads only this collection. */
    async collect() {
      exporter.reset();
      await reader.forceFlush();
    },
    points(metric) {
      const found: Points = [];
      for (const scope of exporter.getMetrics().flatMap((resource) => resource.scopeMetrics)) {
        for (const data of scope.metrics.filter((each) => each.descriptor.name === metric)) {
          for (const point of data.dataPoints as DataPoint<number>[]) if (point.value !== 0) found.push({ attributes: { ...point.attributes }, value: point.value });
        }
      }
      return found;
    },
    async stop() {
      unregister();
      instrumentation.disable();
      await meterProvider.shutdown();
    },
  };
}

it('a second instrumentation, disable() and enable() count no request twice, and none made while disabled', async () => {
  const { create } = clients[0]!;
  const route = 'counted-twice';
  const { match: _match, ...shared } = scene.world.options();
  const client = create({ ...shared, routes: [{ match: `${scene.world.api.url}/api`, name: route }] });
  const send = async (count: number): Promise<void> => {
    for (let index = 0; index < count; index++) expect(await client.get(`${scene.world.api.url}/api/echo`)).toBe(200);
  };
  const first = scene.telemetry;
  const second = secondInstrumentation();
  try {
    await send(3);
    await Promise.all([first.collect(), second.collect()]);
    const secondLookups = second.points(METRIC_NAMES.cacheLookups);
    for (const points of [first.points(METRIC_NAMES.cacheLookups), secondLookups]) {
      expect([lookups(points, 'miss'), lookups(points, 'hit')]).toEqual([1, 2]);
    }
    expect(stamped(first.points(METRIC_NAMES.stamps), route)).toBe(3);
    expect(stamped(second.points(METRIC_NAMES.stamps), route)).toBe(3);
    await first.reset();

    first.instrumentation.disable();
    await send(2);
    first.instrumentation.enable();
    first.instrumentation.enable();
    await send(1);
    await Promise.all([first.collect(), second.collect()]);
    expect(stamped(first.points(METRIC_NAMES.stamps), route)).toBe(1);
    expect(lookups(first.points(METRIC_NAMES.cacheLookups), 'hit')).toBe(1);
    expect(stamped(second.points(METRIC_NAMES.stamps), route)).toBe(3);
  } finally {
    await second.stop();
    await client.close();
  }
});
