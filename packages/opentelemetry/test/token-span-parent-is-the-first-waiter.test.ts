/**
 * Concurrent requests share one token request (single flight): its span is a child of the request that started
 * it, and every request that waited gets a token-wait event.
 */
import { createStamper } from '@mca-oauth/core';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';
import { EVENT_NAMES, SPAN_NAMES } from '../src/index.js';
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

it('one span for three concurrent waiters, under the first; each waiter has its event', async () => {
  world.auth.stats.reset();
  const stamper = createStamper(world.options());
  const url = `${world.api.url}/api/echo`;
  const requests = [0, 1, 2].map(() => telemetry.inAppSpan(async () => stamper.authorizationFor(url)));
  const done = await Promise.all(requests);
  expect(world.auth.stats.tokenRequests).toBe(1);
  const tokenSpans = telemetry.spans().filter((span) => span.name === SPAN_NAMES.tokenRequest);
  expect(tokenSpans).toHaveLength(1);
  expect(tokenSpans[0]!.parentSpanContext?.spanId).toBe(done[0]!.span.spanContext().spanId);
  for (const { span } of done) expect(span.events.map((event) => event.name)).toEqual([EVENT_NAMES.tokenWait]);
});

it('a token request with no active span is a root span', async () => {
  await telemetry.reset();
  await createStamper(world.options()).authorizationFor(`${world.api.url}/api/echo`);
  const [tokenSpan] = telemetry.spans();
  expect(tokenSpan!.name).toBe(SPAN_NAMES.tokenRequest);
  expect(tokenSpan!.parentSpanContext).toBeUndefined();
});
