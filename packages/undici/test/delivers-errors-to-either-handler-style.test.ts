/**
 * undici has two handler shapes. compose() hands interceptors the new one on both majors (undici 7
 * wraps legacy handlers in WrapHandler, lib/dispatcher/dispatcher.js; undici 8 has no other), but a
 * dispatcher's own dispatch() under undici 7 gets legacy handlers from its request() and from Node's
 * fetch: McaAgent must answer each in its own shape.
 */
import { Agent } from 'undici';
import { McaAgent, McaErrorCodes, isMcaError, mcaInterceptor } from '../src/index.js';
import { useTestWorld } from './support/world.js';

const world = useTestWorld();
afterEach(() => world.auth.faults.clear());

function settled<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const opts = (): { origin: string; path: string; method: 'GET' } => ({ origin: world.api.url, path: '/api/echo', method: 'GET' });

describe('a token failure before anything is sent', () => {
  it('reaches a new-style handler through onResponseError (composed interceptor)', async () => {
    const dispatcher = new Agent().compose(mcaInterceptor(world.options()));
    world.auth.faults.inject({ type: 'status', status: 502 });
    const error = settled<Error>();
    const returned = dispatcher.dispatch(opts(), {
      onRequestStart() {},
      onResponseStart() {},
      onResponseData() {},
      onResponseEnd() {},
      onResponseError: (_controller, err) => error.resolve(err),
    });
    expect(returned).toBe(true);
    const err = await error.promise;
    expect(isMcaError(err)).toBe(true);
    expect((err as { code?: string }).code).toBe(McaErrorCodes.TOKEN_HTTP_ERROR);
    await dispatcher.close();
  });

  it('reaches a legacy handler through onError (McaAgent)', async () => {
    const dispatcher = new McaAgent({ mca: world.options() });
    world.auth.faults.inject({ type: 'status', status: 502 });
    const error = settled<Error>();
    dispatcher.dispatch(opts(), { onConnect() {}, onHeaders: () => true, onData: () => true, onComplete() {}, onError: (err: Error) => error.resolve(err) } as never);
    const err = await error.promise;
    expect((err as { code?: string }).code).toBe(McaErrorCodes.TOKEN_HTTP_ERROR);
    await dispatcher.close();
  });
});

describe('a legacy handler on McaAgent', () => {
  it('gets onConnect, onHeaders with raw headers, onData and onComplete for a stamped request, 401 retry included', async () => {
    const dispatcher = new McaAgent({ mca: world.options() });
    world.api.rejectNext(1);
    const done = settled<void>();
    const calls: string[] = [];
    let status = 0;
    let rawHeaders: unknown[] = [];
    const chunks: Buffer[] = [];
    dispatcher.dispatch(opts(), {
      onConnect: () => calls.push('connect'),
      onHeaders: (statusCode: number, headers: unknown[]) => {
        status = statusCode;
        rawHeaders = headers;
        return true;
      },
      onData: (chunk: Buffer) => {
        chunks.push(chunk);
        return true;
      },
      onComplete: () => done.resolve(),
      onError: (err: Error) => {
        calls.push(`error ${err.message}`);
        done.resolve();
      },
    } as never);
    await done.promise;
    expect(calls.filter((call) => call.startsWith('error'))).toEqual([]);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(status).toBe(200);
    expect(Array.isArray(rawHeaders)).toBe(true);
    expect(rawHeaders.map(String).map((name) => name.toLowerCase())).toContain('content-type');
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8')).claims).toBeDefined();
    await dispatcher.close();
  });
});
