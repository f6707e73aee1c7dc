/**
 * Real requests of each adapter against the dev server, with the SDK's in-memory exporters: the token request's
 * span is a child of the application request that waited for it, and every metric counts what happened.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';
import { ATTRIBUTE_NAMES, EVENT_NAMES, METRIC_NAMES, SPAN_NAMES } from '../src/index.js';
import { clients } from './support/clients.js';
import { startTelemetry, total, type Telemetry } from './support/telemetry.js';

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
beforeEach(async () => {
  world.auth.stats.reset();
  world.api.rejectNext(0);
  await telemetry.reset();
});
afterEach(() => world.auth.faults.clear());

const authPort = (): number => Number(new URL(world.auth.tokenEndpoint).port);

describe.each(clients)('$name', ({ create }) => {
  it('the token request is a CLIENT span under the waiting request, which gets a token-wait event', async () => {
    const { match: _match, ...shared } = world.options();
    const client = create({ ...shared, routes: [{ match: `${world.api.url}/api`, name: 'orders' }] });
    try {
      const { span: appSpan, result: status } = await telemetry.inAppSpan(() => client.get(`${world.api.url}/api/echo`));
      expect(status).toBe(200);
      const tokenSpans = telemetry.spans().filter((span) => span.name === SPAN_NAMES.tokenRequest);
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
      const { span: secondApp } = await telemetry.inAppSpan(() => client.get(`${world.api.url}/api/echo`));
      expect(secondApp.events).toEqual([]);
      expect(telemetry.spans().filter((span) => span.name === SPAN_NAMES.tokenRequest)).toHaveLength(1);

      await telemetry.collect();
      const requests = telemetry.points(METRIC_NAMES.tokenRequests);
      expect(total(requests, { [ATTRIBUTE_NAMES.outcome]: 'success', [ATTRIBUTE_NAMES.route]: 'orders', [ATTRIBUTE_NAMES.grantType]: 'client_credentials' })).toBe(1);
      expect(total(telemetry.points(METRIC_NAMES.tokenRequestDuration), { [ATTRIBUTE_NAMES.outcome]: 'success' })).toBe(1);
      const lookups = telemetry.points(METRIC_NAMES.cacheLookups);
      expect(total(lookups, { [ATTRIBUTE_NAMES.cacheResult]: 'miss' })).toBe(1);
      expect(total(lookups, { [ATTRIBUTE_NAMES.cacheResult]: 'hit' })).toBe(1);
      expect(total(telemetry.points(METRIC_NAMES.stamps), { [ATTRIBUTE_NAMES.stampResult]: 'stamped', [ATTRIBUTE_NAMES.route]: 'orders' })).toBe(2);
    } finally {
      await client.close();
    }
  });

  it('a 401 to our token counts a rejection and a 401 retry, and puts a retry event on the request span', async () => {
    const client = create(world.options());
    try {
      await client.get(`${world.api.url}/api/echo`);
      world.api.rejectNext(1);
      const { span: appSpan, result: status } = await telemetry.inAppSpan(() => client.get(`${world.api.url}/api/echo`));
      expect(status).toBe(200);
      const retry = appSpan.events.find((event) => event.name === EVENT_NAMES.retry);
      expect(retry?.attributes).toEqual({ [ATTRIBUTE_NAMES.retryKind]: '401', [ATTRIBUTE_NAMES.route]: `${world.api.url}/api` });
      expect(appSpan.events.map((event) => event.name)).toContain(EVENT_NAMES.tokenWait);
      await telemetry.collect();
      expect(total(telemetry.points(METRIC_NAMES.rejections))).toBe(1);
      expect(total(telemetry.points(METRIC_NAMES.retries), { [ATTRIBUTE_NAMES.retryKind]: '401' })).toBe(1);
      expect(total(telemetry.points(METRIC_NAMES.tokenRequests), { [ATTRIBUTE_NAMES.outcome]: 'success' })).toBe(2);
    } finally {
      await client.close();
    }
  });

  it('a failed token request ends its span with the McaError code, the HTTP status and an error status', async () => {
    const client = create(world.options());
    try {
      world.auth.faults.inject({ type: 'status', status: 502 });
      const { span: appSpan } = await telemetry.inAppSpan(async () => {
        await client.get(`${world.api.url}/api/echo`).catch((error: unknown) => error);
      });
      const [tokenSpan] = telemetry.spans().filter((span) => span.name === SPAN_NAMES.tokenRequest);
      expect(tokenSpan!.parentSpanContext?.spanId).toBe(appSpan.spanContext().spanId);
      expect(tokenSpan!.status.code).toBe(SpanStatusCode.ERROR);
      expect(tokenSpan!.attributes[ATTRIBUTE_NAMES.errorType]).toBe('MCA_TOKEN_HTTP_ERROR');
      expect(tokenSpan!.attributes[ATTRIBUTE_NAMES.httpResponseStatusCode]).toBe(502);
      await telemetry.collect();
      expect(
        total(telemetry.points(METRIC_NAMES.tokenRequests), { [ATTRIBUTE_NAMES.outcome]: 'failure', [ATTRIBUTE_NAMES.errorType]: 'MCA_TOKEN_HTTP_ERROR' }),
      ).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('a request that does not match is counted as skipped, with the reason', async () => {
    const client = create(world.options());
    try {
      expect(await client.get(`${world.elsewhere.url}/other`)).toBe(200);
      await telemetry.collect();
      expect(total(telemetry.points(METRIC_NAMES.stamps), { [ATTRIBUTE_NAMES.stampResult]: 'skipped', [ATTRIBUTE_NAMES.stampSkipReason]: 'no-match' })).toBe(1);
      expect(telemetry.spans()).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
