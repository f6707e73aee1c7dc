import { inspect } from 'node:util';
import got, { HTTPError } from 'got';
import { mcaHooks } from '../src/index.js';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld();
});
afterAll(() => world.close());
beforeEach(() => world.api.received.clear());

/**
 * How apps log an error: console.log (inspect), a JSON logger, a template string. Not `showHidden`: that walks into
 * the socket and Node's raw request buffer, which holds every header sent, whoever set it.
 */
function printed(error: unknown): string {
  return [inspect(error), inspect(error, { depth: Infinity }), JSON.stringify(error), String(error)].join('\n');
}

function tokensOf(authorizations: (string | undefined)[]): string[] {
  const tokens = authorizations.map((value) => value?.replace(/^Bearer /, '') ?? '');
  expect(tokens.every((token) => token.length > 20)).toBe(true);
  return tokens;
}

it('an HTTPError after the 401 retry does not print either token', async () => {
  const api = got.extend(mcaHooks(world.options()), { retry: { limit: 0 } });
  const error = await api.get(`${world.api.url}/api/unauthorized`).catch((error: unknown) => error);
  expect(error).toBeInstanceOf(HTTPError);
  const tokens = tokensOf(world.api.received.authorizations('/api/unauthorized'));
  expect(tokens).toHaveLength(2);
  const text = printed(error);
  for (const token of tokens) expect(text).not.toContain(token);
});

it('an HTTPError for another status does not print the token', async () => {
  const api = got.extend(mcaHooks(world.options()), { retry: { limit: 0 } });
  // The redirect route answers 400 without its `to` parameter.
  const error = await api.get(`${world.api.url}/api/redirect`).catch((error: unknown) => error);
  expect((error as HTTPError).response.statusCode).toBe(400);
  const [token] = tokensOf(world.api.received.authorizations('/api/redirect'));
  expect(printed(error)).not.toContain(token);
});

it('leaves a header the caller set in the error, as got always does', async () => {
  const api = got.extend(mcaHooks(world.options()), { retry: { limit: 0 } });
  const error = await api
    .get(`${world.api.url}/api/echo`, { headers: { authorization: 'Bearer callers-own-value' } })
    .catch((error: unknown) => error);
  expect((error as HTTPError).options.headers.authorization).toBe('Bearer callers-own-value');
});
