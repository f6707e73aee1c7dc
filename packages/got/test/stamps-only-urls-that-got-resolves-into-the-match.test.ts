import got from 'got';
import type { EchoBody } from '@mca-oauth/dev-server';
import { mcaHooks } from '../src/index.js';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld();
});
afterAll(() => world.close());

const client = () => got.extend(mcaHooks(world.options()), { retry: { limit: 0 } });

it('stamps the URL got builds from prefixUrl, the path and searchParams, and the API accepts the token', async () => {
  const api = client().extend({ prefixUrl: `${world.api.url}/api` });
  const echo = await api.get('echo', { searchParams: { q: 'x y' } }).json<EchoBody>();
  expect(echo.url).toBe('/api/echo?q=x+y');
  expect(echo.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  expect(echo.claims).toBeDefined();
});

it('leaves a path outside the prefix on the same origin alone', async () => {
  const echo = await client().extend({ prefixUrl: world.api.url }).get('public/echo').json<EchoBody>();
  expect(echo.url).toBe('/public/echo');
  expect(echo.headers.authorization).toBeUndefined();
});

it('leaves another origin alone, even when a query parameter names the protected URL', async () => {
  await client().get(`${world.elsewhere.url}/other`, { searchParams: { next: `${world.api.url}/api/echo` } });
  expect(world.elsewhere.received.authorizations('/other')).toEqual([undefined]);
});

it('leaves a path that only starts with the same letters alone (/apix is not under /api)', async () => {
  const response = await client().get(`${world.api.url}/apix`, { throwHttpErrors: false });
  expect(response.statusCode).toBe(404);
  expect(world.api.received.authorizations('/apix')).toEqual([undefined]);
});

it('sends a real request on a cache hit: the hook resolves to undefined, never to a response', async () => {
  const api = client();
  const before = world.auth.stats.tokenRequests;
  const first = await api.get(`${world.api.url}/api/cache-hit`).json<EchoBody>();
  const second = await api.get(`${world.api.url}/api/cache-hit`).json<EchoBody>();
  expect(world.api.received.forPath('/api/cache-hit')).toHaveLength(2);
  expect(second.headers.authorization).toBe(first.headers.authorization);
  expect(world.auth.stats.tokenRequests - before).toBe(1);
});

it('still runs the caller’s own hooks of the same instance', async () => {
  const seen: string[] = [];
  const api = got.extend(
    { hooks: { beforeRequest: [(options) => void seen.push(`before:${String(options.url)}`)] } },
    mcaHooks(world.options()),
    { hooks: { afterResponse: [(response) => (seen.push(`after:${response.statusCode}`), response)] } },
  );
  await api.get(`${world.api.url}/api/echo`);
  expect(seen).toEqual([`before:${world.api.url}/api/echo`, 'after:200']);
});

it('stamps got.stream() requests too, and strips on their redirects', async () => {
  const api = client();
  const read = async (stream: NodeJS.ReadableStream): Promise<EchoBody> => {
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    return JSON.parse(text) as EchoBody;
  };
  const stamped = await read(api.stream(`${world.api.url}/api/streamed`));
  const stripped = await read(api.stream(world.redirectUrl(`${world.api.url}/public/streamed`)));
  expect(stamped.claims).toBeDefined();
  expect(stripped.url).toBe('/public/streamed');
  expect(stripped.headers.authorization).toBeUndefined();
});
