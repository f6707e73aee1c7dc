/**
 * A token endpoint that is down or refuses the client fails every user alike: after one such failure the
 * route's other users fail at once with it, without a request each, until the backoff ends. A refusal of one
 * user's token (invalid_grant, invalid_target) is that user's alone: the next user's exchange goes ahead.
 */
import nock from 'nock';
import { createStamper } from '../../src/stamping/stamper.js';
import { onBehalfOf } from '../../src/exchange/on-behalf-of.js';
import { McaErrorCodes } from '../../src/errors/index.js';
import type { McaOptions } from '../../src/config/options.js';
import { useNock } from '../support/use-nock.js';
import { failureOf } from '../support/failure-of.js';

const AUTH = 'https://auth.example.com';
const API = 'https://ledger.example.com/api/';

const options = (): McaOptions => ({
  routes: [{ match: API, exchange: {} }],
  tokenEndpoint: `${AUTH}/token`,
  clientId: 'client-1',
  secret: 'secret-1',
  cacheSize: 10,
  backoff: { initialDelayMs: 60_000 },
  env: {},
});

/** Answers every exchange with `status` and `body`, counting them. */
function endpoint(status: number, body: Record<string, unknown>): { readonly requests: number } {
  const seen = { requests: 0 };
  nock(AUTH)
    .persist()
    .post('/token', () => ((seen.requests += 1), true))
    .reply(status, body);
  return seen;
}

const ask = (stamper: ReturnType<typeof createStamper>, subject: string) => onBehalfOf(subject, () => stamper.authorizationFor(`${API}x`));

useNock();

it.each<[string, number, Record<string, unknown>, string]>([
  ['answers 503', 503, { error: 'temporarily_unavailable' }, McaErrorCodes.TOKEN_OAUTH_ERROR],
  ['refuses the client (401 invalid_client)', 401, { error: 'invalid_client' }, McaErrorCodes.TOKEN_OAUTH_ERROR],
  ['answers 502 without an OAuth body', 502, {}, McaErrorCodes.TOKEN_HTTP_ERROR],
])('an endpoint that %s: the next users fail at once, without a request each', async (_label, status, body, code) => {
  const seen = endpoint(status, body);
  const stamper = createStamper(options());
  expect((await failureOf(ask(stamper, 'alice-token'))).code).toBe(code);
  for (const user of ['bob-token', 'carol-token', 'dave-token']) expect((await failureOf(ask(stamper, user))).code).toBe(code);
  expect(seen.requests).toBe(1);
});

it.each<[string, Record<string, unknown>]>([
  ['invalid_grant', { error: 'invalid_grant' }],
  ['invalid_target', { error: 'invalid_target' }],
])('one user’s %s does not hold back the next user’s exchange', async (_label, body) => {
  const seen = endpoint(400, body);
  const stamper = createStamper(options());
  expect((await failureOf(ask(stamper, 'mallory-token'))).code).toBe(McaErrorCodes.TOKEN_OAUTH_ERROR);
  expect((await failureOf(ask(stamper, 'bob-token'))).code).toBe(McaErrorCodes.TOKEN_OAUTH_ERROR);
  // Each user had their own request; Mallory's second call is backed off for her alone.
  expect((await failureOf(ask(stamper, 'mallory-token'))).code).toBe(McaErrorCodes.TOKEN_OAUTH_ERROR);
  expect(seen.requests).toBe(2);
});
