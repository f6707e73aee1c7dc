import { Client } from 'undici';
import { mcaInterceptor } from '../src/index.js';
import { dispatcherSetups, send, undiciMajor } from './support/dispatchers.js';
import { useTestWorld } from './support/world.js';

const world = useTestWorld();

describe.each(dispatcherSetups)('$name', ({ create }) => {
  it('stamps a bearer token the protected API accepts on a URL under the match (origin + path)', async () => {
    const dispatcher = create(world.options());
    try {
      const response = await send(dispatcher, `${world.api.url}/api/echo?x=1`);
      expect(response.statusCode).toBe(200);
      expect(response.json.headers?.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(response.json.claims?.sub).toBeDefined();
    } finally {
      await dispatcher.close();
    }
  });

  it('leaves a path outside the prefix and another origin untouched', async () => {
    const dispatcher = create(world.options());
    try {
      const outside = await send(dispatcher, `${world.api.url}/public/echo`);
      const similar = await send(dispatcher, `${world.api.url}/apix/echo`);
      const elsewhere = await send(dispatcher, `${world.elsewhere.url}/api/echo`);
      expect(outside.json.headers?.authorization).toBeUndefined();
      expect(similar.statusCode).toBe(404);
      expect(world.api.received.authorizations('/apix/echo')).toEqual([undefined]);
      expect(elsewhere.json.headers?.authorization).toBeUndefined();
    } finally {
      await dispatcher.close();
    }
  });
});

describe('a Client or Pool composed with mcaInterceptor', () => {
  it(`undici ${undiciMajor}: ${undiciMajor === 8 ? 'compose() fills in the origin, so it is stamped' : 'request() without an origin gives no URL to match, so it is left alone'}`, async () => {
    const client = new Client(world.api.url).compose(mcaInterceptor(world.options()));
    try {
      const response = await client.request({ path: '/api/echo', method: 'GET' });
      await response.body.dump();
      expect(response.statusCode).toBe(undiciMajor === 8 ? 200 : 401);
      const withOrigin = await client.request({ origin: world.api.url, path: '/api/echo', method: 'GET' });
      await withOrigin.body.dump();
      expect(withOrigin.statusCode).toBe(200);
    } finally {
      await client.close();
    }
  });
});
