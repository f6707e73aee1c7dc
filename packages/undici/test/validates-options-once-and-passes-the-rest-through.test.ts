import { jest } from '@jest/globals';
import { McaAgent, McaErrorCodes, isMcaError, mcaInterceptor } from '../src/index.js';
import { send } from './support/dispatchers.js';
import { useTestWorld } from './support/world.js';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@mca-oauth/dev-server';

const world = useTestWorld();

function codeOf(create: () => unknown): string | undefined {
  try {
    create();
  } catch (error) {
    return isMcaError(error) ? error.code : `not an McaError: ${String(error)}`;
  }
  return undefined;
}

describe('options are validated when the interceptor or agent is created', () => {
  it.each([
    ['mcaInterceptor', (options: object) => mcaInterceptor(options)],
    ['McaAgent', (options: object) => new McaAgent({ mca: options })],
  ])('%s: no match anywhere is MCA_NO_MATCH_CONFIGURED; a bad match is MCA_INVALID_OPTION', (_name, create) => {
    expect(codeOf(() => create({ env: {}, tokenEndpoint: world.auth.tokenEndpoint }))).toBe(McaErrorCodes.NO_MATCH_CONFIGURED);
    expect(codeOf(() => create(world.options({ match: 'ftp://example.com/' })))).toBe(McaErrorCodes.INVALID_OPTION);
  });

  it('McaAgent names an option error by its path under mca, as the caller wrote it', () => {
    const errorOf = (options: unknown): Record<string, unknown> => {
      try {
        new McaAgent({ mca: options as never });
      } catch (error) {
        return error as Record<string, unknown>;
      }
      throw new Error('McaAgent accepted the options');
    };
    const { cacheSize: _cacheSize, env: _env, ...route } = world.options();
    expect(errorOf({ routes: [route, { ...route, scope: 5 }] })).toMatchObject({ code: McaErrorCodes.INVALID_OPTION, option: 'mca.routes[1].scope', message: expect.stringContaining("'mca.routes[1].scope'") });
    expect(errorOf({ routes: [route, { ...route, scpoe: 'a' }] })).toMatchObject({ code: McaErrorCodes.UNKNOWN_OPTION, option: 'mca.routes[1].scpoe' });
    expect(errorOf({ routes: [route, { ...route, match: 'ftp://x.example/' }] })).toMatchObject({ option: 'mca.routes[1].match', message: expect.stringMatching(/^mca\.routes\[1\]\.match must/) });
    expect(errorOf({ ...route, scope: 5 })).toMatchObject({ option: 'mca.scope', message: expect.stringContaining("'mca.scope'") });
    expect(errorOf(5)).toMatchObject({ code: McaErrorCodes.INVALID_OPTION, option: 'mca', message: "Option 'mca' must be an object." });
    expect(errorOf({ routes: [route, { ...route, dpop: { privateKey: 'not a key' } }] })).toMatchObject({ option: 'mca.routes[1].dpop.privateKey' });
    expect(errorOf({ ...route, proxy: 'ftp://proxy.example.com' })).toMatchObject({ option: 'mca.proxy', message: expect.stringContaining("Option 'mca.proxy'") });
    // An environment variable keeps its own name.
    expect(errorOf({ ...route, env: { MCA_DPOP: 'yes' } })).toMatchObject({ message: "Option 'MCA_DPOP' must be 'true' or 'false'." });
    // mcaInterceptor takes core's options at the top level, so its names have no prefix.
    expect(() => mcaInterceptor({ ...route, scope: 5 } as never)).toThrow(expect.objectContaining({ option: 'scope' }));
  });

  it('without options, both read the environment (MCA_MATCH, MCA_TOKEN_ENDPOINT, …)', async () => {
    const env = {
      MCA_MATCH: `${world.api.url}/api`,
      MCA_TOKEN_ENDPOINT: world.auth.tokenEndpoint,
      MCA_CLIENT_ID: DEFAULT_CLIENT_ID,
      MCA_SECRET: DEFAULT_CLIENT_SECRET,
    };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const agent = new McaAgent();
      const response = await send(agent, `${world.api.url}/api/echo`);
      expect(response.json.claims).toBeDefined();
      await agent.close();
      expect(() => mcaInterceptor()).not.toThrow();
    } finally {
      for (const name of Object.keys(env)) delete process.env[name];
      Object.assign(process.env, saved);
    }
    expect(codeOf(() => mcaInterceptor())).toBe(McaErrorCodes.NO_MATCH_CONFIGURED);
  });
});

describe('a request that is not ours is passed through untouched', () => {
  it('mcaInterceptor: the same opts object and the same handler reach the next dispatch', () => {
    const next = jest.fn((_opts: unknown, _handler: unknown) => true);
    const dispatch = mcaInterceptor(world.options())(next as never);
    const handler = { onRequestStart() {}, onResponseError() {} };
    for (const opts of [
      { origin: world.elsewhere.url, path: '/api/echo', method: 'GET', headers: { a: 'b' } },
      { origin: world.api.url, path: '/public/echo', method: 'GET', headers: ['a', 'b'] },
      { path: '/api/echo', method: 'GET' },
    ]) {
      next.mockClear();
      expect(dispatch(opts as never, handler as never)).toBe(true);
      expect(next).toHaveBeenCalledTimes(1);
      expect(next.mock.calls[0]![0]).toBe(opts);
      expect(next.mock.calls[0]![1]).toBe(handler);
    }
  });

  it('a URL object as origin is matched like its string', async () => {
    const next = jest.fn((_opts: { headers?: unknown }, _handler: unknown) => true);
    const dispatch = mcaInterceptor(world.options())(next as never);
    const done = new Promise<void>((resolve) => {
      next.mockImplementation(() => {
        resolve();
        return true;
      });
    });
    dispatch({ origin: new URL(world.api.url), path: '/api/echo', method: 'GET' } as never, { onRequestStart() {}, onResponseError() {} } as never);
    await done;
    expect(JSON.stringify(next.mock.calls[0]![0].headers)).toContain('Bearer ');
  });
});
