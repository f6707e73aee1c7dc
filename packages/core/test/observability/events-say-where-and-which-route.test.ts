/**
 * The payloads an instrumentation builds on: token events name the endpoint's host and port, the grant type and the
 * route; a 401 publishes `request:rejected` and, when the adapter resends, a `'401'` retry; `token:start` runs in
 * the async context of the first caller that waits.
 */
import diagnostics from 'node:diagnostics_channel';
import { AsyncLocalStorage } from 'node:async_hooks';
import nock from 'nock';
import { CHANNEL_NAMES } from '../../src/observability/channels.js';
import { createStamper } from '../../src/stamping/stamper.js';
import type { McaOptions } from '../../src/config/options.js';
import { useNock } from '../support/use-nock.js';

const AUTH = 'https://auth.example.com:8443';
const API = 'https://orders.example.com/api';

function tokenServer(times = 1): void {
  for (let answer = 0; answer < times; answer += 1) {
    nock(AUTH).post('/token').reply(200, { access_token: `token-${answer}`, token_type: 'Bearer', expires_in: 3600 });
  }
}

const options = (extra: Partial<McaOptions> = {}): McaOptions => ({
  routes: [{ match: API, name: 'orders' }],
  tokenEndpoint: `${AUTH}/token`,
  clientId: 'client',
  secret: 'events-Secret-value',
  cacheSize: 10,
  env: {},
  ...extra,
});

function record(names: string[]): { events: [string, Record<string, unknown>][]; stop(): void } {
  const events: [string, Record<string, unknown>][] = [];
  const listeners = names.map((name) => [name, (message: unknown) => events.push([name, message as Record<string, unknown>])] as const);
  for (const [name, listener] of listeners) diagnostics.subscribe(name, listener);
  return { events, stop: () => listeners.forEach(([name, listener]) => diagnostics.unsubscribe(name, listener)) };
}

useNock();

it('token start and end carry the endpoint host and port, the grant type and the route name', async () => {
  tokenServer();
  const recorder = record([CHANNEL_NAMES.tokenRequestStart, CHANNEL_NAMES.tokenRequestEnd, CHANNEL_NAMES.stamped]);
  await createStamper(options()).authorizationFor(`${API}/1`);
  recorder.stop();
  const target = { name: 'orders', serverAddress: 'auth.example.com', serverPort: 8443, grantType: 'client_credentials' };
  // `stamped` follows the token now: it is published once the token is set.
  expect(recorder.events.map(([name]) => name)).toEqual([CHANNEL_NAMES.tokenRequestStart, CHANNEL_NAMES.tokenRequestEnd, CHANNEL_NAMES.stamped]);
  expect(recorder.events[0]![1]).toEqual({ key: expect.any(String), ...target });
  expect(recorder.events[1]![1]).toMatchObject(target);
  expect(recorder.events[2]![1]).toMatchObject({ name: 'orders', origin: 'https://orders.example.com' });
});

it('a rejected token publishes rejected, and a 401 retry only when the adapter says it resends', async () => {
  tokenServer(2);
  const stamper = createStamper(options());
  const first = (await stamper.authorizationFor(`${API}/1`)) as string;
  const recorder = record([CHANNEL_NAMES.rejected, CHANNEL_NAMES.retry]);
  stamper.tokenRejected(`${API}/1`, first);
  const second = (await stamper.authorizationFor(`${API}/1`)) as string;
  stamper.tokenRejected(`${API}/1`, second, { retrying: true });
  recorder.stop();
  const event = { key: expect.any(String), name: 'orders', origin: 'https://orders.example.com' };
  expect(recorder.events).toEqual([
    [CHANNEL_NAMES.rejected, event],
    [CHANNEL_NAMES.rejected, event],
    [CHANNEL_NAMES.retry, { kind: '401', ...event }],
  ]);
});

it('token:start is published in the async context of the first caller that waits', async () => {
  tokenServer();
  const caller = new AsyncLocalStorage<string>();
  const seen: (string | undefined)[] = [];
  const onStart = (): void => {
    seen.push(caller.getStore());
  };
  diagnostics.subscribe(CHANNEL_NAMES.tokenRequestStart, onStart);
  const stamper = createStamper(options());
  await Promise.all(['first', 'second'].map((name) => caller.run(name, () => stamper.authorizationFor(`${API}/1`))));
  diagnostics.unsubscribe(CHANNEL_NAMES.tokenRequestStart, onStart);
  expect(seen).toEqual(['first']);
});

it('a hit says whether the token is past its refresh point', async () => {
  tokenServer();
  const recorder = record([CHANNEL_NAMES.cacheHit]);
  const stamper = createStamper(options());
  await stamper.authorizationFor(`${API}/1`);
  stamper.authorizationFor(`${API}/1`);
  recorder.stop();
  expect(recorder.events).toEqual([[CHANNEL_NAMES.cacheHit, { key: expect.any(String), name: 'orders', stale: false }]]);
});
