/**
 * Concurrent requests share one token request (single flight): its span is a child of the request that started
 * it, and every request that waited gets a token-wait event.
 */
import { createStamper } from '@mca-oauth/core';
import { EVENT_NAMES, SPAN_NAMES } from '../src/index.js';
import { useTelemetryWorld } from './support/telemetry.js';

const scene = useTelemetryWorld();

it('one span for three concurrent waiters, under the first; each waiter has its event', async () => {
  scene.world.auth.stats.reset();
  const stamper = createStamper(scene.world.options());
  const url = `${scene.world.api.url}/api/echo`;
  const requests = [0, 1, 2].map(() => scene.telemetry.inAppSpan(async () => stamper.authorizationFor(url)));
  const done = await Promise.all(requests);
  expect(scene.world.auth.stats.tokenRequests).toBe(1);
  const tokenSpans = scene.telemetry.spans().filter((span) => span.name === SPAN_NAMES.tokenRequest);
  expect(tokenSpans).toHaveLength(1);
  expect(tokenSpans[0]!.parentSpanContext?.spanId).toBe(done[0]!.span.spanContext().spanId);
  for (const { span } of done) expect(span.events.map((event) => event.name)).toEqual([EVENT_NAMES.tokenWait]);
});

it('a token request with no active span is a root span', async () => {
  await scene.telemetry.reset();
  await createStamper(scene.world.options()).authorizationFor(`${scene.world.api.url}/api/echo`);
  const [tokenSpan] = scene.telemetry.spans();
  expect(tokenSpan!.name).toBe(SPAN_NAMES.tokenRequest);
  expect(tokenSpan!.parentSpanContext).toBeUndefined();
});
