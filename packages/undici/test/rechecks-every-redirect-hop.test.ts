import { Agent, interceptors } from 'undici';
import { mcaInterceptor } from '../src/index.js';
import { redirectingDispatcherSetups, send } from './support/dispatchers.js';
import { collectWarnings } from './support/warnings.js';
import { useTestWorld } from './support/world.js';

const world = useTestWorld();
beforeEach(() => {
  world.api.received.clear();
  world.elsewhere.received.clear();
});

describe.each(redirectingDispatcherSetups)('$name', ({ create }) => {
  it.each([301, 302, 303, 307, 308])('a %i hop to another origin carries no token', async (status) => {
    const dispatcher = create(world.options());
    try {
      const response = await send(dispatcher, world.redirectUrl(`${world.elsewhere.url}/landing`, status));
      expect(response.statusCode).toBe(200);
      expect(world.api.received.authorizations('/api/redirect')[0]).toMatch(/^Bearer /);
      expect(world.elsewhere.received.authorizations('/landing')).toEqual([undefined]);
    } finally {
      await dispatcher.close();
    }
  });

  it('a hop to a path outside the prefix on the same origin carries no token', async () => {
    const dispatcher = create(world.options());
    try {
      const response = await send(dispatcher, world.redirectUrl(`${world.api.url}/public/echo`));
      expect(response.statusCode).toBe(200);
      expect(world.api.received.authorizations('/api/redirect')[0]).toMatch(/^Bearer /);
      expect(response.json.headers?.authorization).toBeUndefined();
    } finally {
      await dispatcher.close();
    }
  });

  it('a hop that stays inside the match gets the token', async () => {
    const dispatcher = create(world.options());
    try {
      const response = await send(dispatcher, world.redirectUrl(`${world.api.url}/api/echo`, 307));
      expect(response.statusCode).toBe(200);
      expect(response.json.claims?.sub).toBeDefined();
    } finally {
      await dispatcher.close();
    }
  });

  it('a hop into the match from outside it gets the token, and the hop out of it does not', async () => {
    const dispatcher = create(world.options());
    try {
      // elsewhere → (302 from the API's unprotected redirect route) → /api/echo
      const intoMatch = await send(dispatcher, world.redirectUrl(`${world.api.url}/api/echo`));
      expect(intoMatch.json.claims).toBeDefined();
      const chain = world.redirectUrl(world.redirectUrl(`${world.elsewhere.url}/second`));
      const response = await send(dispatcher, chain);
      expect(response.statusCode).toBe(200);
      expect(world.api.received.authorizations('/api/redirect').every((value) => value?.startsWith('Bearer '))).toBe(true);
      expect(world.elsewhere.received.authorizations('/second')).toEqual([undefined]);
    } finally {
      await dispatcher.close();
    }
  });
});

describe('compose order', () => {
  it('inside the redirect interceptor we would see no hop: undici re-sends our token on a same-origin hop, and we warn', async () => {
    const warnings = collectWarnings('MCA_REDIRECT_INSIDE_INTERCEPTOR');
    // The wrong order: the last interceptor runs first, so here ours wraps the redirect interceptor.
    const dispatcher = new Agent().compose(interceptors.redirect({ maxRedirections: 3 }), mcaInterceptor(world.options()));
    try {
      const response = await send(dispatcher, world.redirectUrl(`${world.api.url}/public/echo`));
      expect(response.json.headers?.authorization).toMatch(/^Bearer /);
      expect(warnings.seen).toHaveLength(1);
    } finally {
      warnings.stop();
      await dispatcher.close();
    }
  });
});
