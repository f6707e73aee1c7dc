/** Zero cost when off: disable() unsubscribes from every channel of core (so core publishes nothing), enable() resubscribes. */
import diagnostics from 'node:diagnostics_channel';
import { CHANNEL_NAMES, createStamper } from '@mca-oauth/core';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';
import { SPAN_NAMES } from '../src/index.js';
import { startTelemetry, type Telemetry } from './support/telemetry.js';

let world: TestWorld;
let telemetry: Telemetry;
beforeAll(async () => {
  world = await startTestWorld();
  telemetry = startTelemetry();
});
afterAll(async () => {
  await telemetry.shutdown();
  await world.close();
});

const subscribed = (): boolean[] => Object.values(CHANNEL_NAMES).map((name) => diagnostics.channel(name).hasSubscribers);

it('subscribes to every channel while enabled, and to none once disabled', async () => {
  expect(subscribed().every(Boolean)).toBe(true);
  telemetry.instrumentation.disable();
  expect(subscribed().some(Boolean)).toBe(false);
  await telemetry.reset();
  await createStamper(world.options()).authorizationFor(`${world.api.url}/api/echo`);
  expect(telemetry.spans()).toEqual([]);

  telemetry.instrumentation.enable();
  telemetry.instrumentation.enable();
  expect(subscribed().every(Boolean)).toBe(true);
  await createStamper(world.options()).authorizationFor(`${world.api.url}/api/echo`);
  // Enabled twice, subscribed once: one span per token request.
  expect(telemetry.spans().filter((span) => span.name === SPAN_NAMES.tokenRequest)).toHaveLength(1);
});
