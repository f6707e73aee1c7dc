/**
 * Zero cost when off: disable() unsubscribes from every channel of core (so core publishes nothing), enable()
 * resubscribes. The per-request channels are never subscribed to: their counts are read from core's numbers.
 */
import diagnostics from 'node:diagnostics_channel';
import { CHANNEL_NAMES, createStamper } from '@mca-oauth/core';
import { SPAN_NAMES } from '../src/index.js';
import { useTelemetryWorld } from './support/telemetry.js';

const scene = useTelemetryWorld();

const PER_REQUEST: readonly string[] = [CHANNEL_NAMES.cacheHit, CHANNEL_NAMES.cacheRefresh, CHANNEL_NAMES.stamped, CHANNEL_NAMES.skipped];
const subscribed = (): boolean[] =>
  Object.values(CHANNEL_NAMES).filter((name) => !PER_REQUEST.includes(name)).map((name) => diagnostics.channel(name).hasSubscribers);

it('never subscribes to the per-request channels, so a cache hit publishes nothing', () => {
  expect(PER_REQUEST.map((name) => diagnostics.channel(name).hasSubscribers)).toEqual([false, false, false, false]);
});

it('subscribes to every other channel while enabled, and to none once disabled', async () => {
  expect(subscribed().every(Boolean)).toBe(true);
  scene.telemetry.instrumentation.disable();
  expect(subscribed().some(Boolean)).toBe(false);
  await scene.telemetry.reset();
  await createStamper(scene.world.options()).authorizationFor(`${scene.world.api.url}/api/echo`);
  expect(scene.telemetry.spans()).toEqual([]);

  scene.telemetry.instrumentation.enable();
  scene.telemetry.instrumentation.enable();
  expect(subscribed().every(Boolean)).toBe(true);
  await createStamper(scene.world.options()).authorizationFor(`${scene.world.api.url}/api/echo`);
  // Enabled twice, subscribed once: one span per token request.
  expect(scene.telemetry.spans().filter((span) => span.name === SPAN_NAMES.tokenRequest)).toHaveLength(1);
});
