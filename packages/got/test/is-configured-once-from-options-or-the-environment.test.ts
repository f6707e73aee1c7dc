import got from 'got';
import type { EchoBody } from '@mca-oauth/dev-server';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@mca-oauth/dev-server';
import * as adapter from '../src/index.js';
import { isMcaError, mcaHooks, McaError, McaErrorCodes } from '../src/index.js';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld();
});
afterAll(() => world.close());

function thrownBy(create: () => unknown): unknown {
  try {
    create();
  } catch (error) {
    return error;
  }
  throw new Error('expected mcaHooks() to throw');
}

it('exports mcaHooks, core’s error helpers and onBehalfOf, and nothing else', () => {
  expect(Object.keys(adapter).sort()).toEqual(['McaError', 'McaErrorCodes', 'isMcaError', 'mcaHooks', 'onBehalfOf']);
});

it('returns options got.extend() takes, with one hook of each kind', () => {
  const options = mcaHooks(world.options());
  expect(Object.keys(options)).toEqual(['hooks']);
  expect(Object.fromEntries(Object.entries(options.hooks).map(([name, hooks]) => [name, hooks.length]))).toEqual({
    beforeRequest: 1,
    beforeRedirect: 1,
    afterResponse: 1,
    beforeError: 1,
  });
});

it('refuses to start when no match is configured anywhere: it never stamps every URL', () => {
  const error = thrownBy(() => mcaHooks({ tokenEndpoint: world.auth.tokenEndpoint, clientId: 'c', secret: 's', env: {} }));
  expect(error).toBeInstanceOf(McaError);
  expect(isMcaError(error) && error.code).toBe(McaErrorCodes.NO_MATCH_CONFIGURED);
});

it('rejects a bad option when it is created, naming the option', () => {
  const error = thrownBy(() => mcaHooks(world.options({ match: 'ftp://files.example.com/' })));
  expect(isMcaError(error) && error.code).toBe(McaErrorCodes.INVALID_OPTION);
  expect((error as Error).message).toContain('match');
});

describe('with no options', () => {
  const variables = {
    MCA_MATCH: '',
    MCA_TOKEN_ENDPOINT: '',
    MCA_CLIENT_ID: DEFAULT_CLIENT_ID,
    MCA_SECRET: DEFAULT_CLIENT_SECRET,
  };
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    variables.MCA_MATCH = `${world.api.url}/api`;
    variables.MCA_TOKEN_ENDPOINT = world.auth.tokenEndpoint;
    for (const [name, value] of Object.entries(variables)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('reads its configuration from the environment', async () => {
    const api = got.extend(mcaHooks());
    const echo = await api.get(`${world.api.url}/api/echo`).json<EchoBody>();
    const outside = await api.get(`${world.api.url}/public/echo`).json<EchoBody>();
    expect(echo.claims).toBeDefined();
    expect(outside.headers.authorization).toBeUndefined();
  });
});
