/**
 * Issue #14 §4: `request:stamped` is published when a token was actually set, `retryInMs` is whole, and every
 * event carries the route's name beside the opaque key.
 */
import diagnostics from 'node:diagnostics_channel';
import nock from 'nock';
import { CHANNEL_NAMES } from '../../src/observability/channels.js';
import type { McaOptions } from '../../src/config/options.js';
import { McaErrorCodes } from '../../src/errors/index.js';
import { createStamper } from '../../src/stamping/stamper.js';
import { MemoryStore } from '../shared-store/memory-store.js';
import { useNock } from '../support/use-nock.js';

const AUTH = 'https://auth.example.com';

const options = (extra: Partial<McaOptions> = {}): McaOptions => ({
  match: 'https://orders.example.com/api/',
  tokenEndpoint: `${AUTH}/token`,
  clientId: 'events-client',
  secret: 'events-Secret-value',
  cacheSize: 10,
  env: {},
  ...extra,
});

useNock();

/** Records the events of `channels` until `stop()`. */
function record(...channels: string[]): { events: { channel: string; payload: Record<string, unknown> }[]; stop(): void } {
  const events: { channel: string; payload: Record<string, unknown> }[] = [];
  const listeners = channels.map((channel) => {
    const listener = (payload: unknown) => events.push({ channel, payload: payload as Record<string, unknown> });
    diagnostics.subscribe(channel, listener);
    return [channel, listener] as const;
  });
  return { events, stop: () => listeners.forEach(([channel, listener]) => diagnostics.unsubscribe(channel, listener)) };
}

it('publishes stamped only once the token arrives on a miss, and at once on a hit', async () => {
  nock(AUTH).post('/token').reply(200, { access_token: 'token-a', token_type: 'Bearer', expires_in: 3600 });
  const recorder = record(CHANNEL_NAMES.stamped, CHANNEL_NAMES.tokenRequestEnd);
  try {
    const stamper = createStamper(options());
    const pending = stamper.authorizationFor('https://orders.example.com/api/1');
    expect(recorder.events.filter((event) => event.channel === CHANNEL_NAMES.stamped)).toHaveLength(0);
    await pending;
    expect(recorder.events.map((event) => event.channel)).toEqual([CHANNEL_NAMES.tokenRequestEnd, CHANNEL_NAMES.stamped]);
    expect(stamper.authorizationFor('https://orders.example.com/api/2')).toBe('Bearer token-a');
    expect(recorder.events.filter((event) => event.channel === CHANNEL_NAMES.stamped)).toHaveLength(2);
  } finally {
    recorder.stop();
  }
});

it('publishes no stamped event when the token request fails, and a whole retryInMs', async () => {
  nock(AUTH).post('/token').reply(503, 'down', { 'Retry-After': '1' });
  const recorder = record(CHANNEL_NAMES.stamped, CHANNEL_NAMES.tokenRequestError);
  try {
    const stamper = createStamper(options({ backoff: { initialDelayMs: 333 } }));
    await expect(stamper.authorizationFor('https://orders.example.com/api/1')).rejects.toMatchObject({ code: McaErrorCodes.TOKEN_HTTP_ERROR });
    expect(recorder.events.map((event) => event.channel)).toEqual([CHANNEL_NAMES.tokenRequestError]);
    const { retryInMs } = recorder.events[0]!.payload;
    expect(Number.isInteger(retryInMs)).toBe(true);
    expect(retryInMs).toBeGreaterThanOrEqual(1000);
  } finally {
    recorder.stop();
  }
});

it('names each route in every event: the given name, else the match origin and path, else predicate#N', async () => {
  for (const token of ['ledger', 'predicate', 'orders']) nock(AUTH).post('/token').reply(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
  const recorder = record(...Object.values(CHANNEL_NAMES));
  try {
    const stamper = createStamper(
      options({
        routes: [
          { match: 'https://ledger.example.com/v1/', name: 'ledger', scope: 'ledger' },
          { match: (url) => url.hostname === 'predicate.example.com', scope: 'p' },
        ],
      }),
    );
    await stamper.authorizationFor('https://ledger.example.com/v1/a');
    await stamper.authorizationFor('https://predicate.example.com/a');
    await stamper.authorizationFor('https://orders.example.com/api/a');
    stamper.authorizationFor('https://orders.example.com/api/b', { callerAuthorization: 'Bearer mine' });
    const named = (channel: string) => recorder.events.filter((event) => event.channel === channel).map((event) => event.payload['name']);
    expect(named(CHANNEL_NAMES.stamped)).toEqual(['ledger', 'predicate#1', 'https://orders.example.com/api/']);
    expect(named(CHANNEL_NAMES.tokenRequestStart)).toEqual(['ledger', 'predicate#1', 'https://orders.example.com/api/']);
    expect(named(CHANNEL_NAMES.cacheMiss)).toEqual(['ledger', 'predicate#1', 'https://orders.example.com/api/']);
    expect(named(CHANNEL_NAMES.skipped)).toEqual(['https://orders.example.com/api/']);
    for (const event of recorder.events.filter((event) => event.channel !== CHANNEL_NAMES.skipped)) {
      expect(event.payload).toMatchObject({ key: expect.stringMatching(/^[\w-]{22}$/) });
    }
  } finally {
    recorder.stop();
  }
});

it('takes the top-level name for the match route, and refuses a name that is not text', () => {
  expect(() => createStamper(options({ name: 'orders' }))).not.toThrow();
  expect(() => createStamper(options({ name: 42 as never }))).toThrow(expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION }));
});

it('names the route in shared-store events too', async () => {
  nock(AUTH).post('/token').reply(200, { access_token: 'stored', token_type: 'Bearer', expires_in: 3600 });
  const store = new MemoryStore();
  const recorder = record(CHANNEL_NAMES.storeAdopt);
  try {
    await createStamper(options({ store, name: 'orders' })).authorizationFor('https://orders.example.com/api/1');
    await createStamper(options({ store, name: 'orders' })).authorizationFor('https://orders.example.com/api/1');
    expect(recorder.events.map((event) => event.payload)).toEqual([{ key: expect.any(String), name: 'orders' }]);
  } finally {
    recorder.stop();
  }
});
