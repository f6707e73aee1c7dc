/**
 * Issue #14 §4: every exported function of every package checks its arguments. A wrong call is an McaError with a
 * stable code whose message says what the function takes, never a TypeError from inside. The table must name every
 * function each package's index exports, so a new export without checks fails here.
 *
 * Not here: @mca-oauth/dev-server, a test tool that does not depend on core; its wrong calls are TypeErrors with
 * Node's `ERR_INVALID_ARG_VALUE`, as its README documents and its own tests check.
 */
import * as axiosAdapter from '@mca-oauth/axios';
import * as core from '@mca-oauth/core';
import * as gotAdapter from '@mca-oauth/got';
import * as redisStore from '@mca-oauth/redis';
import * as undiciAdapter from '@mca-oauth/undici';
import axios from 'axios';

/** A configuration that is right in every way, so each wrong call below is wrong in exactly one. */
const valid: core.McaOptions = {
  match: 'https://orders.example.com/api/',
  tokenEndpoint: 'https://auth.example.com/token',
  clientId: 'client',
  secret: 'every-export-Secret',
  cacheSize: 5,
  env: {},
};

const { match: _routeOnly, ...seedValid } = valid;

type WrongCall = readonly [label: string, call: () => unknown];

/**
 * `wrong`: calls that must fail with an McaError. `total`: functions defined for any argument (predicates, readers
 * of whatever a caller has); their odd calls must answer, not throw. `errorType`: error classes, which build errors,
 * not configuration.
 */
type Entry = { wrong: readonly WrongCall[] } | { total: readonly WrongCall[] } | { errorType: true };

/** Shaped like an ioredis client, for calls that must fail before any command is sent. */
const redis = { get: () => undefined, eval: () => undefined, options: { enableOfflineQueue: false } };

const provider = { cacheKey: 'k', fetchToken: async () => new core.IssuedToken('t', 0, 1) };
const store = { get: async () => undefined, set: async () => undefined, lock: async () => undefined, waitForToken: async () => ({ outcome: 'timeout' as const }) };
const optionCalls = (create: (options: never) => unknown): WrongCall[] => [
  ['a string', () => create('https://orders.example.com/' as never)],
  ['a number', () => create(42 as never)],
  ['an array', () => create([valid] as never)],
  ['a misspelled option', () => create({ ...valid, tokenEndPoint: 'https://auth.example.com/t' } as never)],
  ['a match of the wrong type', () => create({ ...valid, match: 5 } as never)],
  ['a logger that is not one', () => create({ ...valid, logger: 'console' } as never)],
  ['an env that is not an object', () => create({ ...valid, env: 'production' } as never)],
];

const table: Record<string, Record<string, Entry>> = {
  core: {
    McaError: { errorType: true },
    isMcaError: { total: [['a number', () => core.isMcaError(42)], ['nothing', () => (core.isMcaError as unknown as () => boolean)()]] },
    optionErrorUnder: {
      total: [['a number', () => core.optionErrorUnder(42, 'mca.')], ['an Error', () => core.optionErrorUnder(new Error('x'), 'mca.')]],
    },
    isLoopbackHostname: { total: [['a number', () => core.isLoopbackHostname(42 as never)], ['an object', () => core.isLoopbackHostname({} as never)]] },
    getAuthorizationHeaderFromIncomingRequest: { total: [['a number', () => core.getAuthorizationHeaderFromIncomingRequest(42 as never)]] },
    callerAuthorizationOf: { total: [['a number', () => core.callerAuthorizationOf(42)], ['a revoked-looking object', () => core.callerAuthorizationOf(Object.create(null))]] },
    callerDpopOf: { total: [['a number', () => core.callerDpopOf(42)], ['a null-prototype object', () => core.callerDpopOf(Object.create(null))]] },
    callerCredentialOf: { total: [['a number', () => core.callerCredentialOf(42)], ['a null-prototype object', () => core.callerCredentialOf(Object.create(null))], ['a flat list', () => core.callerCredentialOf(['dpop', 'p'])]] },
    isReplayableBody: { total: [['a number', () => core.isReplayableBody(42)], ['a null-prototype object', () => core.isReplayableBody(Object.create(null))]] },
    readMcaCounts: { total: [['an argument it does not take', () => (core.readMcaCounts as (x: unknown) => unknown)(42)]] },
    closeIdleTokenConnections: { total: [['an argument it does not take', () => (core.closeIdleTokenConnections as (x: unknown) => void)(42)]] },
    createStamper: { wrong: optionCalls((options) => core.createStamper(options)) },
    createMatcher: {
      wrong: [
        ['a number', () => core.createMatcher(42 as never)],
        ['an empty list', () => core.createMatcher([])],
        ['options that are a string', () => core.createMatcher('https://a.example.com/', 'x' as never)],
      ],
    },
    createTokenCache: {
      wrong: [
        ['max: -1', () => core.createTokenCache({ max: -1 })],
        ['null', () => core.createTokenCache(null as never)],
        ['a number', () => core.createTokenCache(42 as never)],
        ['now that is not a function', () => core.createTokenCache({ now: 5 } as never)],
      ],
    },
    TokenCache: { wrong: [['max: 1.5', () => new core.TokenCache({ max: 1.5 })], ['null', () => new core.TokenCache(null as never)]] },
    IssuedToken: {
      wrong: [
        ['a number as the token', () => new core.IssuedToken(42 as never, 0, 1)],
        ['times that are not numbers', () => new core.IssuedToken('t', 'now' as never, 'later' as never)],
      ],
    },
    getAuthorizationHeader: {
      wrong: [
        ['a string', () => core.getAuthorizationHeader('secret' as never)],
        ['a misspelled option', () => core.getAuthorizationHeader({ ...seedValid, tokenEndPoint: 'https://auth.example.com/t' } as never)],
        ['a route option', () => core.getAuthorizationHeader({ ...seedValid, match: valid.match } as never)],
        ['an env that is not an object', () => core.getAuthorizationHeader({ ...seedValid, env: 'production' } as never)],
        ['cacheSize: -1 (the first call sizes the cache)', () => core.getAuthorizationHeader({ ...seedValid, cacheSize: -1 })],
      ],
    },
    getAuthorizationHeaderBySecret: { wrong: [['a string', () => core.getAuthorizationHeaderBySecret('secret' as never)]] },
    scrubSentAuthorization: { wrong: [['a number', () => core.scrubSentAuthorization(42 as never, {})], ['an empty value', () => core.scrubSentAuthorization('', {})]] },
    createSharedStoreObserver: { wrong: [['a string as the logger', () => core.createSharedStoreObserver('console' as never)]] },
    withSharedStore: {
      wrong: [
        ['options where the provider goes', () => core.withSharedStore(valid as never, store)],
        ['a store that is not one', () => core.withSharedStore(provider, {} as never)],
        ['a misspelled option', () => core.withSharedStore(provider, store, { clockSkew: 1 } as never)],
      ],
    },
    checkOptionNames: { wrong: [['a number', () => core.checkOptionNames(42 as never, [])], ['known names as a string', () => core.checkOptionNames({}, 'match' as never)]] },
    onBehalfOf: { wrong: [['a subject without a function', () => core.onBehalfOf('token' as never, undefined as never)], ['the function first', () => core.onBehalfOf((() => 1) as never, 'token' as never)]] },
    checkMcaOptionNames: { wrong: [['a number', () => core.checkMcaOptionNames(42 as never)], ['a misspelled option', () => core.checkMcaOptionNames({ scopes: 'x' })]] },
  },
  axios: {
    McaError: { errorType: true },
    isMcaError: { total: [['a number', () => axiosAdapter.isMcaError(42)]] },
    mcaInterceptor: { wrong: optionCalls((options) => axiosAdapter.mcaInterceptor(options)) },
    onBehalfOf: { wrong: [['a subject without a function', () => axiosAdapter.onBehalfOf('token' as never, undefined as never)], ['the function first', () => axiosAdapter.onBehalfOf((() => 1) as never, 'token' as never)]] },
    mcaRetryOn401: {
      wrong: [
        ['options (the old mistake)', () => axiosAdapter.mcaRetryOn401(valid as never, undefined as never)],
        ['an instance and options', () => axiosAdapter.mcaRetryOn401(axios, valid as never)],
        ['nothing', () => (axiosAdapter.mcaRetryOn401 as () => unknown)()],
      ],
    },
    installMca: {
      wrong: [
        ['options first', () => axiosAdapter.installMca(valid as never)],
        ['an object without interceptors', () => axiosAdapter.installMca({ request: () => undefined } as never, valid)],
        ...optionCalls((options) => axiosAdapter.installMca(axios.create(), options)),
      ],
    },
  },
  got: {
    McaError: { errorType: true },
    isMcaError: { total: [['a number', () => gotAdapter.isMcaError(42)]] },
    mcaHooks: { wrong: [['a string', () => gotAdapter.mcaHooks('x' as never)], ...optionCalls((options) => gotAdapter.mcaHooks(options))] },
    onBehalfOf: { wrong: [['a subject without a function', () => gotAdapter.onBehalfOf('token' as never, undefined as never)], ['the function first', () => gotAdapter.onBehalfOf((() => 1) as never, 'token' as never)]] },
  },
  undici: {
    McaError: { errorType: true },
    isMcaError: { total: [['a number', () => undiciAdapter.isMcaError(42)]] },
    mcaInterceptor: { wrong: optionCalls((options) => undiciAdapter.mcaInterceptor(options)) },
    onBehalfOf: { wrong: [['a subject without a function', () => undiciAdapter.onBehalfOf('token' as never, undefined as never)], ['the function first', () => undiciAdapter.onBehalfOf((() => 1) as never, 'token' as never)]] },
    McaAgent: {
      wrong: [
        ['a string', () => new undiciAdapter.McaAgent('x' as never)],
        ['mca options beside mca, not in it', () => new undiciAdapter.McaAgent({ match: valid.match } as never)],
        ['mca mistyped', () => new undiciAdapter.McaAgent({ mcaOptions: valid } as never)],
        ['a wrong undici option', () => new undiciAdapter.McaAgent({ mca: valid, factory: 'pool' as never })],
        ...optionCalls((options) => new undiciAdapter.McaAgent({ mca: options })),
      ],
    },
  },
  redis: {
    RedisStoreError: { errorType: true },
    createRedisTokenStore: {
      wrong: [
        ['a client instead of options', () => redisStore.createRedisTokenStore(redis as never)],
        ['a client that is not one', () => redisStore.createRedisTokenStore({ redis: {} as never })],
        ['nothing', () => (redisStore.createRedisTokenStore as () => unknown)()],
        ['a misspelled option', () => redisStore.createRedisTokenStore({ redis, keyprefix: 'x' } as never)],
      ],
    },
  },
};

const modules: Record<string, Record<string, unknown>> = { core, axios: axiosAdapter, got: gotAdapter, undici: undiciAdapter, redis: redisStore };

/** What a wrong call did: its error, from a throw or a rejection, or `undefined` when it did not fail. */
async function failureOf(call: () => unknown): Promise<unknown> {
  try {
    const result = call();
    if (result instanceof Promise) await result;
    (result as { close?: () => unknown } | undefined)?.close?.();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe.each(Object.keys(modules))('@mca-oauth/%s', (name) => {
  const exported = Object.entries(modules[name]!).filter(([, value]) => typeof value === 'function').map(([key]) => key);

  it('has an entry in this table for every exported function, and none for one it does not export', () => {
    expect(Object.keys(table[name]!).sort()).toEqual(exported.sort());
  });

  const rows = Object.entries(table[name]!).flatMap(([fn, entry]) =>
    'wrong' in entry ? entry.wrong.map(([label, call]) => [fn, label, call] as const) : [],
  );
  it.each(rows)('%s refuses %s with an McaError saying what it takes', async (_fn, _label, call) => {
    const error = await failureOf(call);
    expect(core.isMcaError(error)).toBe(true);
    expect(error).toMatchObject({ code: expect.stringMatching(/^MCA_(INVALID|UNKNOWN)_OPTION$/) });
    expect((error as Error).message).toMatch(/must|takes|did you mean|known here are|refused/);
    expect((error as Error).message).not.toContain(valid.secret);
  });

  const totals = Object.entries(table[name]!).flatMap(([fn, entry]) =>
    'total' in entry ? entry.total.map(([label, call]) => [fn, label, call] as const) : [],
  );
  if (totals.length > 0) {
    it.each(totals)('%s answers %s without throwing', async (_fn, _label, call) => {
      expect(await failureOf(call)).toBeUndefined();
    });
  }
});
