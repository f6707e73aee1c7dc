import { Readable } from 'node:stream';
import { dispatcherSetups, send } from './support/dispatchers.js';
import { useTestWorld } from './support/world.js';

const world = useTestWorld();
beforeEach(() => {
  world.auth.stats.reset();
  world.api.received.clear();
  world.api.rejectNext(0);
});

describe.each(dispatcherSetups)('$name', ({ create }) => {
  it('a 401 to a stamped GET is swallowed, the token dropped, and the request sent once more with a new one', async () => {
    const dispatcher = create(world.options());
    try {
      await send(dispatcher, `${world.api.url}/api/echo`);
      world.api.rejectNext(1);
      const response = await send(dispatcher, `${world.api.url}/api/echo`);
      expect(response.statusCode).toBe(200);
      expect(world.auth.stats.tokenRequests).toBe(2);
      const [first, rejected, retried] = world.api.received.authorizations('/api/echo');
      expect(rejected).toBe(first);
      expect(retried).not.toBe(rejected);
      // The next request uses the new token, never the rejected one.
      const after = await send(dispatcher, `${world.api.url}/api/echo`);
      expect(after.json.headers?.authorization).toBe(retried);
    } finally {
      await dispatcher.close();
    }
  });

  it('a second 401 goes back to the caller: one retry, never more', async () => {
    const dispatcher = create(world.options());
    try {
      world.api.rejectNext(2);
      const response = await send(dispatcher, `${world.api.url}/api/echo`);
      expect(response.statusCode).toBe(401);
      expect(response.json.error).toBe('invalid_token');
      expect(world.api.received.authorizations('/api/echo')).toHaveLength(2);
      expect(world.auth.stats.tokenRequests).toBe(2);
    } finally {
      await dispatcher.close();
    }
  });

  it.each([
    ['a string', () => '{"n":1}'],
    ['a Buffer', () => Buffer.from('{"n":1}')],
  ])('a POST with %s body is sent again, body and all', async (_kind, body) => {
    const dispatcher = create(world.options());
    try {
      world.api.rejectNext(1);
      const response = await send(dispatcher, `${world.api.url}/api/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body(),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json.body).toBe('{"n":1}');
      expect(world.api.received.forPath('/api/echo').map((request) => request.method)).toEqual(['POST', 'POST']);
    } finally {
      await dispatcher.close();
    }
  });

  it.each([
    ['while its token is fetched', false],
    ['with a cached token', true],
  ])('a POST with a stream body is never retried (%s): the 401 goes back to the caller', async (_when, cached) => {
    const dispatcher = create(world.options());
    try {
      if (cached) await send(dispatcher, `${world.api.url}/api/echo`);
      world.api.rejectNext(1);
      const response = await send(dispatcher, `${world.api.url}/api/echo`, { method: 'POST', body: Readable.from(['{"n":1}']) });
      expect(response.statusCode).toBe(401);
      const posts = world.api.received.forPath('/api/echo').filter((request) => request.method === 'POST');
      expect(posts).toHaveLength(1);
      expect(world.auth.stats.tokenRequests).toBe(1);
      // The rejected token is not handed out again: the next request fetches a new one.
      const next = await send(dispatcher, `${world.api.url}/api/echo`);
      expect(next.statusCode).toBe(200);
      expect(next.json.headers?.authorization).not.toBe(posts[0]!.authorization);
      expect(world.auth.stats.tokenRequests).toBe(2);
    } finally {
      await dispatcher.close();
    }
  });

  it('a 401 to a request that carried the caller’s own Authorization is not ours to retry', async () => {
    const dispatcher = create(world.options());
    try {
      const response = await send(dispatcher, `${world.api.url}/api/unauthorized`, { headers: { authorization: 'Bearer callers' } });
      expect(response.statusCode).toBe(401);
      expect(world.api.received.authorizations('/api/unauthorized')).toEqual(['Bearer callers']);
      expect(world.auth.stats.tokenRequests).toBe(0);
    } finally {
      await dispatcher.close();
    }
  });

  it('the retry waits for a token that is not cached yet (both attempts on the slow path)', async () => {
    const dispatcher = create(world.options());
    try {
      world.api.rejectNext(1);
      world.auth.faults.inject({ type: 'latency', latencyMs: 20, times: 2 });
      const response = await send(dispatcher, `${world.api.url}/api/echo`);
      expect(response.statusCode).toBe(200);
      expect(world.auth.stats.tokenRequests).toBe(2);
    } finally {
      world.auth.faults.clear();
      await dispatcher.close();
    }
  });
});
