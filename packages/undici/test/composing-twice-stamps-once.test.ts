import { Agent, getGlobalDispatcher, interceptors, request } from 'undici';
import { McaAgent, McaErrorCodes, isMcaError, mcaInterceptor } from '../src/index.js';
import { installGlobalDispatcher } from '../../../test-support/global-dispatcher.js';
import { authorizationsIn, recordingInterceptor, type Recorded } from './support/recorder.js';
import { collectWarnings } from './support/warnings.js';
import { useTestWorld } from './support/world.js';

const world = useTestWorld();
beforeEach(() => {
  world.auth.stats.reset();
  world.api.received.clear();
  world.api.rejectNext(0);
});

describe('setGlobalDispatcher(getGlobalDispatcher().compose(mcaInterceptor())) run twice', () => {
  it('stamps once, retries a 401 once, and warns once (MCA_NESTED_INTERCEPTOR)', async () => {
    const warnings = collectWarnings('MCA_NESTED_INTERCEPTOR');
    const base = new Agent();
    const restoreBase = installGlobalDispatcher(base);
    const restoreOnce = installGlobalDispatcher(getGlobalDispatcher().compose(mcaInterceptor(world.options())));
    const restoreTwice = installGlobalDispatcher(getGlobalDispatcher().compose(mcaInterceptor(world.options())));
    try {
      const first = await request(`${world.api.url}/api/echo`);
      expect(first.statusCode).toBe(200);
      const echoed = (await first.body.json()) as { headers: Record<string, string> };
      expect(echoed.headers.authorization).toMatch(/^Bearer /);
      // Two layers that each retried would turn two 401s into a success; one layer hands the second back.
      world.api.rejectNext(2);
      const rejected = await request(`${world.api.url}/api/echo`);
      await rejected.body.dump();
      expect(rejected.statusCode).toBe(401);
      const second = await fetch(`${world.api.url}/api/echo`);
      await second.body?.cancel();
      expect(warnings.seen).toHaveLength(1);
      expect(warnings.seen[0]).toContain('compose it once');
    } finally {
      warnings.stop();
      restoreTwice();
      restoreOnce();
      restoreBase();
      await base.close();
    }
  });

  it('the inner layer sends exactly one Authorization, the outer one’s', async () => {
    const log: Recorded[] = [];
    const dispatcher = new Agent()
      .compose(recordingInterceptor(log), mcaInterceptor(world.options()))
      .compose(mcaInterceptor(world.options()));
    const warnings = collectWarnings('MCA_NESTED_INTERCEPTOR');
    try {
      const response = await dispatcher.request({ origin: world.api.url, path: '/api/echo', method: 'GET' });
      await response.body.dump();
      expect(response.statusCode).toBe(200);
      expect(authorizationsIn(log.at(-1)!.opts.headers)).toHaveLength(1);
    } finally {
      warnings.stop();
      await dispatcher.close();
    }
  });

  it('when a redirect between two layers leaves the match, the inner layer takes the outer one’s token off', async () => {
    const warnings = collectWarnings('MCA_NESTED_INTERCEPTOR');
    const redirectWarnings = collectWarnings('MCA_REDIRECT_INSIDE_INTERCEPTOR');
    // inner mca → redirect → outer mca: the redirect re-sends what the outer layer stamped.
    const dispatcher = new Agent()
      .compose(mcaInterceptor(world.options()), interceptors.redirect({ maxRedirections: 3 }))
      .compose(mcaInterceptor(world.options()));
    try {
      const response = await dispatcher.request({ origin: world.api.url, path: `/api/redirect?to=${encodeURIComponent(`${world.api.url}/public/echo`)}`, method: 'GET' });
      const echoed = (await response.body.json()) as { headers: Record<string, string | undefined> };
      expect(world.api.received.authorizations('/api/redirect')[0]).toMatch(/^Bearer /);
      expect(echoed.headers.authorization).toBeUndefined();
    } finally {
      redirectWarnings.stop();
      warnings.stop();
      await dispatcher.close();
    }
  });
});

describe('McaAgent refuses mcaInterceptor()', () => {
  it.each([
    ['as arguments', (agent: McaAgent) => agent.compose(mcaInterceptor(world.options()))],
    ['in an array', (agent: McaAgent) => agent.compose([interceptors.redirect({ maxRedirections: 1 }), mcaInterceptor(world.options())])],
    ['on an already composed McaAgent', (agent: McaAgent) => agent.compose(interceptors.redirect({ maxRedirections: 1 })).compose(mcaInterceptor(world.options()))],
  ])('%s: an McaError at compose time, naming the fix', async (_how, compose) => {
    const agent = new McaAgent({ mca: world.options() });
    try {
      let thrown: unknown;
      try {
        compose(agent);
      } catch (error) {
        thrown = error;
      }
      expect(isMcaError(thrown)).toBe(true);
      expect((thrown as { code?: string }).code).toBe(McaErrorCodes.INVALID_OPTION);
      expect((thrown as Error).message).toContain('McaAgent already stamps tokens');
    } finally {
      await agent.close();
    }
  });

  it('other interceptors compose as usual', async () => {
    const dispatcher = new McaAgent({ mca: world.options() }).compose(interceptors.redirect({ maxRedirections: 1 }));
    try {
      const response = await dispatcher.request({ origin: world.api.url, path: '/api/echo', method: 'GET' });
      await response.body.dump();
      expect(response.statusCode).toBe(200);
    } finally {
      await dispatcher.close();
    }
  });
});
