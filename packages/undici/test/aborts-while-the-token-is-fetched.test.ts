import { DEFAULT_CLIENT_ID, statsKey, type RequestCounts } from '@mca-oauth/dev-server';
import { dispatcherSetups, send } from './support/dispatchers.js';
import { useTestWorld } from './support/world.js';

const world = useTestWorld();
beforeEach(() => {
  world.auth.stats.reset();
  world.api.received.clear();
});
afterEach(() => world.auth.faults.clear());

/** Resolves once the token endpoint has taken the queued fault, i.e. the token request is being held. */
async function tokenRequestHeld(): Promise<void> {
  while (world.auth.faults.list().length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe.each(dispatcherSetups)('$name', ({ create: createDispatcher }) => {
  // Each test asks for its own scope and counts only its own token requests: the requests earlier tests
  // left held are still failing and being retried meanwhile. Core gives up on each after a second, else
  // they would keep all 8 of its sockets to the token endpoint for a minute.
  let scope = '';
  let tests = 0;
  beforeEach(() => {
    scope = `aborts-${++tests}`;
  });
  const create = () => createDispatcher(world.options({ scope, timeoutMs: 1_000 }));
  const tokenRequests = (): RequestCounts =>
    world.auth.stats.snapshot().byKey[statsKey({ clientId: DEFAULT_CLIENT_ID, scope })] ?? { requests: 0, successes: 0, failures: 0 };

  it('aborting settles the request with the caller’s abort reason before the slow token arrives', async () => {
    const dispatcher = create();
    const controller = new AbortController();
    try {
      world.auth.faults.inject({ type: 'latency', latencyMs: 60_000, times: 1 });
      const pending = send(dispatcher, `${world.api.url}/api/echo`, { signal: controller.signal });
      await tokenRequestHeld();
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      expect(tokenRequests().successes).toBe(0);
      expect(world.api.received.forPath('/api/echo')).toHaveLength(0);
    } finally {
      await dispatcher.close();
    }
  });

  it('a signal aborted before the request starts settles it at once', async () => {
    const dispatcher = create();
    try {
      world.auth.faults.inject({ type: 'latency', latencyMs: 60_000, times: 1 });
      await expect(send(dispatcher, `${world.api.url}/api/echo`, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
      expect(tokenRequests().successes).toBe(0);
      // The token is still fetched for later callers; hold it so it cannot take the next test's fault.
      await tokenRequestHeld();
      expect(world.api.received.forPath('/api/echo')).toHaveLength(0);
    } finally {
      await dispatcher.close();
    }
  });

  it('a caller’s timeout (AbortSignal.timeout) still fires while the token is slow', async () => {
    const dispatcher = create();
    try {
      world.auth.faults.inject({ type: 'latency', latencyMs: 60_000, times: 1 });
      await expect(send(dispatcher, `${world.api.url}/api/echo`, { signal: AbortSignal.timeout(30) })).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(tokenRequests().successes).toBe(0);
      await tokenRequestHeld();
      expect(world.api.received.forPath('/api/echo')).toHaveLength(0);
    } finally {
      await dispatcher.close();
    }
  });

  it('one caller aborting does not cancel the token fetch others wait for', async () => {
    const dispatcher = create();
    const controller = new AbortController();
    try {
      world.auth.faults.inject({ type: 'latency', latencyMs: 50, times: 1 });
      const aborted = send(dispatcher, `${world.api.url}/api/echo`, { signal: controller.signal });
      const patient = send(dispatcher, `${world.api.url}/api/echo`);
      controller.abort();
      await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
      expect((await patient).statusCode).toBe(200);
      expect(tokenRequests().requests).toBe(1);
    } finally {
      await dispatcher.close();
    }
  });
});
