/**
 * Real requests of each adapter against the dev server, with the SDK's in-memory exporters: the token request's
 * span is a child of the application request that waited for it, and every metric counts what happened.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ATTRIBUTE_NAMES, EVENT_NAMES, METRIC_NAMES, SPAN_NAMES } from '../src/index.js';
import { clients } from './support/clients.js';
import { total, useTelemetryWorld } from './support/telemetry.js';

const scene = useTelemetryWorld();
beforeEach(async () => {
  scene.world.auth.stats.reset();
  scene.world.api.rejectNext(0);
  await scene.telemetry.reset();
});
afterEach(() => scene.world.auth.faults.clear());

const authPort = (): number => Number(new URL(scene.world.auth.tokenEndpoint).port);

describe.each(clients)('$name', ({ create }) => {
  it('the token request is a CLIENT span under the waiting request, which gets a token-wait event', async () => {
    const { match: _match, ...shared } = scene.world.options();
    const client = create({ ...shared, routes: [{ match: `${scene.world.api.url}/api`, name: 'orders' }] });
    try {
      const { span: appSpan, result: status } = await scene.telemetry.inAppSpan(() => client.get(`${scene.world.api.url}/api/echo`));
      expect(status).toBe(200);
      const tokenSpans = scene.telemetry.spans().filter((span) => span.name === SPAN_NAMES.tokenRequest);
      expect(tokenSpans).toHaveLength(1);
      const [tokenSpan] = tokenSpans;
      expect(tokenSpan!.kind).toBe(SpanKind.CLIENT);
      expect(tokenSpan!.spanContext().traceId).toBe(appSpan.spanContext().traceId);
      expect(tokenSpan!.parentSpanContext?.spanId).toBe(appSpan.spanContext().spanId);
      expect(tokenSpan!.attributes).toEqual({
        [ATTRIBUTE_NAMES.serverAddress]: '127.0.0.1',
        [ATTRIBUTE_NAMES.serverPort]: authPort(),
        [ATTRIBUTE_NAMES.grantType]: 'client_credentials',
        [ATTRIBUTE_NAMES.route]: 'orders',
      });
      expect(tokenSpan!.status.code).toBe(SpanStatusCode.OK);
      expect(appSpan.events.map((event) => event.name)).toEqual([EVENT_NAMES.tokenWait]);

      // A cache hit makes no span and no event.
      const { span: secondApp } = await scene.telemetry.inAppSpan(() => client.get(`${scene.world.api.url}/api/echo`));
      expect(secondApp.events).toEqual([]);
      expect(scene.telemetry.spans().filter((span) => span.name === SPAN_NAMES.tokenRequest)).toHaveLength(1);

      await scene.telemetry.collect();
      const requests = scene.telemetry.points(METRIC_NAMES.tokenRequests);
      expect(total(requests, { [ATTRIBUTE_NAMES.outcome]: 'success', [ATTRIBUTE_NAMES.route]: 'orders', [ATTRIBUTE_NAMES.grantType]: 'client_credentials' })).toBe(1);
      expect(total(scene.telemetry.points(METRIC_NAMES.tokenRequestDuration), { [ATTRIBUTE_NAMES.outcome]: 'success' })).toBe(1);
      const lookups = scene.telemetry.points(METRIC_NAMES.cacheLookups);
      expect(total(lookups, { [ATTRIBUTE_NAMES.cacheResult]: 'miss' })).toBe(1);
      expect(total(lookups, { [ATTRIBUTE_NAMES.cacheResult]: 'hit' })).toBe(1);
      expect(total(scene.telemetry.points(METRIC_NAMES.stamps), { [ATTRIBUTE_NAMES.stampResult]: 'stamped', [ATTRIBUTE_NAMES.route]: 'orders' })).toBe(2);
    } finally {
      await client.close();
    }
  });

  it('a 401 to our token counts a rejection and a 401 retry, and puts a retry event on the request span', async () => {
    const client = create(scene.world.options());
    try {
      await client.get(`${scene.world.api.url}/api/echo`);
      scene.world.api.rejectNext(1);
      const { span: appSpan, result: status } = await scene.telemetry.inAppSpan(() => client.get(`${scene.world.api.url}/api/echo`));
      expect(status).toBe(200);
      const retry = appSpan.events.find((event) => event.name === EVENT_NAMES.retry);
      expect(retry?.attributes).toEqual({ [ATTRIBUTE_NAMES.retryKind]: '401', [ATTRIBUTE_NAMES.route]: `${scene.world.api.url}/api` });
      expect(appSpan.events.map((event) => event.name)).toContain(EVENT_NAMES.tokenWait);
      await scene.telemetry.collect();
      expect(total(scene.telemetry.points(METRIC_NAMES.rejections))).toBe(1);
      expect(total(scene.telemetry.points(METRIC_NAMES.retries), { [ATTRIBUTE_NAMES.retryKind]: '401' })).toBe(1);
      expect(total(scene.telemetry.points(METRIC_NAMES.tokenRequests), { [ATTRIBUTE_NAMES.outcome]: 'success' })).toBe(2);
    } finally {
      await client.close();
    }
  });

  it('a failed token request ends its span with the McaError code, the HTTP status and an error status', async () => {
    const client = create(scene.world.options());
    try {
      scene.world.auth.faults.inject({ type: 'status', status: 502 });
      const { span: appSpan } = await scene.telemetry.inAppSpan(async () => {
        await client.get(`${scene.world.api.url}/api/echo`).catch((error: unknown) => error);
      });
      const [tokenSpan] = scene.telemetry.spans().filter((span) => span.name === SPAN_NAMES.tokenRequest);
      expect(tokenSpan!.parentSpanContext?.spanId).toBe(appSpan.spanContext().spanId);
      expect(tokenSpan!.status.code).toBe(SpanStatusCode.ERROR);
      expect(tokenSpan!.attributes[ATTRIBUTE_NAMES.errorType]).toBe('MCA_TOKEN_HTTP_ERROR');
      expect(tokenSpan!.attributes[ATTRIBUTE_NAMES.httpResponseStatusCode]).toBe(502);
      await scene.telemetry.collect();
      expect(
        total(scene.telemetry.points(METRIC_NAMES.tokenRequests), { [ATTRIBUTE_NAMES.outcome]: 'failure', [ATTRIBUTE_NAMES.errorType]: 'MCA_TOKEN_HTTP_ERROR' }),
      ).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('a request that does not match is counted as skipped, with the reason', async () => {
    const client = create(scene.world.options());
    try {
      expect(await client.get(`${scene.world.elsewhere.url}/other`)).toBe(200);
      await scene.telemetry.collect();
      expect(total(scene.telemetry.points(METRIC_NAMES.stamps), { [ATTRIBUTE_NAMES.stampResult]: 'skipped', [ATTRIBUTE_NAMES.stampSkipReason]: 'no-match' })).toBe(1);
      expect(scene.telemetry.spans()).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
