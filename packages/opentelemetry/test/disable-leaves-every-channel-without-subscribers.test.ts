/** Zero cost when off: disable() unsubscribes from every channel of core (so core publishes nothing), enable() resubscribes. */
import diagnostics from 'node:diagnostics_channel';
import { CHANNEL_NAMES, createStamper } from '@mca-oauth/core';
import { SPAN_NAMES } from '../src/index.js';
import { useTelemetryWorld } from './support/telemetry.js';

const scene = useTelemetryWorld();

const subscribed = (): boolean[] => Object.values(CHANNEL_NAMES).map((name) => diagnostics.channel(name).hasSubscribers);

it('subscribes to every channel while enabled, and to none once disabled', async () => {
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
