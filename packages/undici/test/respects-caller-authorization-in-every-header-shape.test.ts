import { Agent } from 'undici';
import { mcaInterceptor } from '../src/index.js';
import { dispatcherSetups, send } from './support/dispatchers.js';
import { authorizationsIn, recordingInterceptor, type Recorded } from './support/recorder.js';
import { useTestWorld } from './support/world.js';

const world = useTestWorld();
beforeEach(() => world.auth.stats.reset());

const CALLER = 'Bearer callers-own-token';

/** Each shape undici accepts, built fresh (a generator can be read once), with the caller's Authorization. */
const shapes: ReadonlyArray<[string, () => unknown]> = [
  ['a plain object', () => ({ Authorization: CALLER, 'x-trace': 't1' })],
  ['a plain object, odd case', () => ({ aUtHoRiZaTiOn: CALLER, 'x-trace': 't1' })],
  ['a flat array', () => ['x-trace', 't1', 'AUTHORIZATION', CALLER]],
  ['a Map', () => new Map([['x-trace', 't1'], ['Authorization', CALLER]])],
  ['Headers', () => new Headers({ 'x-trace': 't1', Authorization: CALLER })],
  [
    'a generator of pairs',
    () =>
      (function* pairs() {
        yield ['x-trace', 't1'];
        yield ['authorization', CALLER];
      })(),
  ],
];

/**
 * An array of pairs: undici reads every array as flat and refuses it. A request we stamp has its headers
 * rebuilt by us, so it works; one we leave alone reaches undici as it is, and fails as it would without us.
 */
const arrayOfPairs = (): unknown => [['x-trace', 't1'], ['Authorization', CALLER]];
const stampedShapes: ReadonlyArray<[string, () => unknown]> = [...shapes, ['an array of pairs', arrayOfPairs]];

async function failureOf(request: Promise<unknown>): Promise<unknown> {
  return request.then(
    () => 'no failure',
    (error: Error) => `${error.name}: ${error.message}`,
  );
}

describe.each(dispatcherSetups)('$name', ({ create }) => {
  it('leaves the caller’s Authorization in an array of pairs to undici, which refuses it as it does without us', async () => {
    const dispatcher = create(world.options());
    const plain = new Agent();
    try {
      const expected = await failureOf(send(plain, `${world.api.url}/api/echo`, { headers: arrayOfPairs() }));
      expect(expected).not.toBe('no failure');
      expect(await failureOf(send(dispatcher, `${world.elsewhere.url}/x`, { headers: arrayOfPairs() }))).toBe(expected);
      expect(await failureOf(send(dispatcher, `${world.api.url}/api/echo`, { headers: arrayOfPairs() }))).toBe(expected);
      expect(world.auth.stats.tokenRequests).toBe(0);
    } finally {
      await Promise.all([dispatcher.close(), plain.close()]);
    }
  });

  it.each(shapes)('the caller’s Authorization in %s wins, and other headers are kept', async (_shape, headers) => {
    const dispatcher = create(world.options());
    try {
      const response = await send(dispatcher, `${world.elsewhere.url}/x`, { headers: headers() });
      expect(response.json.headers?.['x-trace']).toBe('t1');
      // The protected API would reject the caller's fake token: the echo server shows it arrived unchanged.
      const protectedResponse = await send(dispatcher, `${world.api.url}/api/echo`, { headers: headers() });
      expect(protectedResponse.statusCode).toBe(401);
      expect(world.api.received.authorizations('/api/echo').at(-1)).toBe(CALLER);
      expect(world.auth.stats.tokenRequests).toBe(0);
    } finally {
      await dispatcher.close();
    }
  });

  it.each([
    ['authorization: undefined', { authorization: undefined, 'x-trace': 't1' }],
    ['Authorization: undefined', { Authorization: undefined, 'x-trace': 't1' }],
  ])('a caller’s %s is no Authorization: ours is sent', async (_shape, headers) => {
    const dispatcher = create(world.options());
    try {
      const response = await send(dispatcher, `${world.api.url}/api/echo`, { headers });
      expect(response.statusCode).toBe(200);
      expect(response.json.headers?.authorization).toMatch(/^Bearer ey/);
      expect(response.json.headers?.['x-trace']).toBe('t1');
      expect(world.auth.stats.tokenRequests).toBe(1);
    } finally {
      await dispatcher.close();
    }
  });

  it.each(stampedShapes)('overwriteAuthorization replaces the caller’s Authorization in %s with ours', async (_shape, headers) => {
    const dispatcher = create(world.options({ overwriteAuthorization: true }));
    try {
      const response = await send(dispatcher, `${world.api.url}/api/echo`, { headers: headers() });
      expect(response.statusCode).toBe(200);
      expect(response.json.headers?.authorization).not.toBe(CALLER);
      expect(response.json.headers?.['x-trace']).toBe('t1');
    } finally {
      await dispatcher.close();
    }
  });
});

describe('what reaches undici', () => {
  it.each(stampedShapes)('overwriting leaves exactly one Authorization in %s, and the caller’s options untouched', async (_shape, headers) => {
    const log: Recorded[] = [];
    const dispatcher = new Agent().compose(recordingInterceptor(log), mcaInterceptor(world.options({ overwriteAuthorization: true })));
    const callerHeaders = headers();
    const opts = Object.freeze({ origin: world.api.url, path: '/api/echo', method: 'GET' as const, headers: callerHeaders as never });
    try {
      const response = await dispatcher.request(opts);
      await response.body.dump();
      expect(response.statusCode).toBe(200);
      expect(opts.headers).toBe(callerHeaders);
      const dispatched = log.at(-1)!.opts;
      expect(dispatched).not.toBe(opts);
      const values = authorizationsIn(dispatched.headers);
      expect(values).toHaveLength(1);
      expect(values[0]).toMatch(/^Bearer /);
      expect(values[0]).not.toBe(CALLER);
    } finally {
      await dispatcher.close();
    }
  });

  it('does not change a frozen plain-object or flat-array header value it stamps', async () => {
    const log: Recorded[] = [];
    const dispatcher = new Agent().compose(recordingInterceptor(log), mcaInterceptor(world.options()));
    const objectHeaders = Object.freeze({ 'x-trace': 't1' });
    const flatHeaders = Object.freeze(['x-trace', 't2']);
    try {
      for (const headers of [objectHeaders, flatHeaders, null, undefined]) {
        const response = await dispatcher.request(Object.freeze({ origin: world.api.url, path: '/api/echo', method: 'GET' as const, headers: headers as never }));
        await response.body.dump();
        expect(response.statusCode).toBe(200);
        expect(authorizationsIn(log.at(-1)!.opts.headers)).toHaveLength(1);
      }
      expect(objectHeaders).toEqual({ 'x-trace': 't1' });
      expect(flatHeaders).toEqual(['x-trace', 't2']);
    } finally {
      await dispatcher.close();
    }
  });
});
