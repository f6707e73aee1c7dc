/**
 * Node's global fetch through `setGlobalDispatcher(...)`: Node 20 bundles undici 6 and Node 24 undici 7,
 * whose fetch reads `Symbol.for('undici.globalDispatcher.1')`; Node 26 bundles undici 8, which reads
 * `.2`. undici 7.30 writes the same dispatcher under both; undici 8 writes it under `.2` and a
 * Dispatcher1Wrapper (legacy handlers → new ones) under `.1` (nodejs/undici#4827, #4962, #5319).
 */
import { Agent, fetch as undiciFetch, getGlobalDispatcher } from 'undici';
import { McaAgent, McaErrorCodes, isMcaError, mcaInterceptor, type McaOptions } from '../src/index.js';
import { undiciMajor, type EchoResponse } from './support/dispatchers.js';
import { GLOBAL_DISPATCHER_SYMBOLS, installGlobalDispatcher, processGlobal, withGlobalDispatcher } from '../../../test-support/global-dispatcher.js';
import { useTestWorld } from './support/world.js';

const world = useTestWorld();
beforeEach(() => {
  world.auth.stats.reset();
  world.api.received.clear();
  world.elsewhere.received.clear();
  world.api.rejectNext(0);
});
afterEach(() => world.auth.faults.clear());

const globalSetups: ReadonlyArray<{ name: string; create(options: McaOptions): import('undici').Dispatcher }> = [
  { name: 'setGlobalDispatcher(new Agent().compose(mcaInterceptor(o)))', create: (o) => new Agent().compose(mcaInterceptor(o)) },
  { name: 'setGlobalDispatcher(new McaAgent({ mca: o }))', create: (o) => new McaAgent({ mca: o }) },
];

async function echoOf(response: Promise<Response>): Promise<EchoResponse['json']> {
  return (await (await response).json()) as EchoResponse['json'];
}

const withGlobal = withGlobalDispatcher;

it(`undici ${undiciMajor}'s setGlobalDispatcher reaches the slot Node ${process.versions.node}'s fetch reads`, async () => {
  const dispatcher = new Agent();
  await withGlobal(dispatcher, async () => {
    expect(getGlobalDispatcher()).toBe(dispatcher);
    const [v1, v2] = GLOBAL_DISPATCHER_SYMBOLS.map((symbol) => processGlobal[symbol]);
    expect(v2).toBe(dispatcher);
    if (undiciMajor === 7) expect(v1).toBe(dispatcher);
    else expect((v1 as object).constructor.name).toBe('Dispatcher1Wrapper');
  });
});

describe.each(globalSetups)('$name', ({ create }) => {
  it('global fetch stamps a matching URL and leaves others alone', async () => {
    await withGlobal(create(world.options()), async () => {
      const stamped = await echoOf(fetch(`${world.api.url}/api/echo`));
      expect(stamped.claims?.sub).toBeDefined();
      const outside = await echoOf(fetch(`${world.api.url}/public/echo`));
      expect(outside.headers?.authorization).toBeUndefined();
    });
  });

  it('fetch follows redirects itself, dispatching each hop: every hop is checked again', async () => {
    await withGlobal(create(world.options()), async () => {
      const crossOrigin = await fetch(world.redirectUrl(`${world.elsewhere.url}/landing`));
      expect(crossOrigin.status).toBe(200);
      expect(world.elsewhere.received.authorizations('/landing')).toEqual([undefined]);
      const outsidePrefix = await echoOf(fetch(world.redirectUrl(`${world.api.url}/public/echo`)));
      expect(outsidePrefix.headers?.authorization).toBeUndefined();
      const inside = await echoOf(fetch(world.redirectUrl(`${world.api.url}/api/echo`, 307)));
      expect(inside.claims?.sub).toBeDefined();
      expect(world.api.received.authorizations('/api/redirect').every((value) => value?.startsWith('Bearer '))).toBe(true);
    });
  });

  it('a 401 to a fetch GET is retried once with a new token', async () => {
    await withGlobal(create(world.options()), async () => {
      world.api.rejectNext(1);
      const response = await fetch(`${world.api.url}/api/echo`);
      expect(response.status).toBe(200);
      await response.body?.cancel();
      expect(world.auth.stats.tokenRequests).toBe(2);
    });
  });

  it('a 401 to a fetch POST goes back to the caller: fetch hands the dispatcher a one-shot body', async () => {
    await withGlobal(create(world.options()), async () => {
      world.api.rejectNext(1);
      const response = await fetch(`${world.api.url}/api/echo`, { method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(401);
      await response.body?.cancel();
      expect(world.api.received.forPath('/api/echo')).toHaveLength(1);
      expect(world.auth.stats.tokenRequests).toBe(1);
      // The caller can send it again: the rejected token is gone, so the new attempt gets a new one.
      const again = await fetch(`${world.api.url}/api/echo`, { method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json' } });
      expect(((await again.json()) as EchoResponse['json']).body).toBe('{"n":1}');
      expect(world.auth.stats.tokenRequests).toBe(2);
    });
  });

  it('no recursion: with the token endpoint’s origin matched too, a fetch makes exactly 1 token request', async () => {
    await withGlobal(create(world.options({ match: [world.auth.url, `${world.api.url}/api`] })), async () => {
      const response = await fetch(`${world.api.url}/api/echo`);
      expect(response.status).toBe(200);
      await response.body?.cancel();
      expect(world.auth.stats.tokenRequests).toBe(1);
      // Requests to the authorization server's origin itself are stamped like any other match.
      const metadata = await fetch(world.auth.metadataUrl);
      expect(metadata.status).toBe(200);
      await metadata.body?.cancel();
      expect(world.auth.stats.tokenRequests).toBe(1);
    });
  });

  it('a token failure rejects fetch with its usual TypeError, the McaError as its cause', async () => {
    await withGlobal(create(world.options()), async () => {
      world.auth.faults.inject({ type: 'status', status: 502, times: 2 });
      const rejection = (reason: unknown): Error => reason as Error;
      const fromPackage = await undiciFetch(`${world.api.url}/api/echo`).then(() => undefined, rejection);
      expect(fromPackage?.name).toBe('TypeError');
      expect(isMcaError(fromPackage?.cause)).toBe(true);
      expect((fromPackage?.cause as { code?: string }).code).toBe(McaErrorCodes.TOKEN_HTTP_ERROR);
      // Node's fetch keeps a cause only if it is `instanceof Error` of Node's realm; one made in Jest's vm
      // realm is not, so here it carries the McaError's text. Outside Jest it is the McaError itself.
      const fromNode = await fetch(`${world.api.url}/api/echo`).then(() => undefined, rejection);
      expect(fromNode?.name).toBe('TypeError');
      expect(String((fromNode?.cause as Error).message)).toMatch(/^McaError: The token endpoint .* answered HTTP 502/);
      expect(world.api.received.forPath('/api/echo')).toHaveLength(0);
    });
  });

  it('aborting a fetch while its token is slow rejects with AbortError and sends nothing', async () => {
    await withGlobal(create(world.options()), async () => {
      world.auth.faults.inject({ type: 'latency', latencyMs: 60_000, times: 1 });
      const controller = new AbortController();
      const pending = fetch(`${world.api.url}/api/echo`, { signal: controller.signal });
      while (world.auth.faults.list().length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      expect(world.auth.stats.snapshot().tokenRequests.successes).toBe(0);
      expect(world.api.received.forPath('/api/echo')).toHaveLength(0);
    });
  });
});
