/** DPoP (RFC 9449) against the dev server: proofs per request and hop, nonce and token retries, through every setup and Node's fetch. */
import { Readable } from 'node:stream';
import { Agent } from 'undici';
import { McaAgent, mcaInterceptor, type McaOptions } from '../src/index.js';
import { installGlobalDispatcher } from '../../../test-support/global-dispatcher.js';
import { dispatcherSetups, redirectingDispatcherSetups, send, type EchoResponse } from './support/dispatchers.js';
import { useTestWorld } from './support/world.js';

const world = useTestWorld();
beforeEach(() => {
  world.auth.stats.reset();
  world.auth.dpop.requireNonce = false;
  world.api.dpop.requireNonce = false;
  world.api.stats.reset();
  world.api.received.clear();
  world.elsewhere.received.clear();
  world.api.rejectNext(0);
});

const dpop = (extra: Partial<McaOptions> = {}): McaOptions => world.options({ dpop: true, ...extra });

function expectDpopStamped(json: EchoResponse['json']): void {
  expect(json.headers?.authorization).toMatch(/^DPoP /);
  expect(json.headers?.dpop).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
}

describe.each(dispatcherSetups)('$name', ({ create }) => {
  it('sends Authorization: DPoP and a proof the API accepts, a new proof per request', async () => {
    const dispatcher = create(dpop());
    try {
      const first = await send(dispatcher, `${world.api.url}/api/echo?q=1`, { method: 'PUT', body: 'x' });
      const second = await send(dispatcher, `${world.api.url}/api/echo`);
      expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
      expectDpopStamped(first.json);
      expect(second.json.headers?.dpop).not.toBe(first.json.headers?.dpop);
      expect(world.api.stats.dpop.snapshot()).toMatchObject({ accepted: 2, rejected: 0 });
      expect(world.auth.stats.tokenRequests).toBe(1);
    } finally {
      await dispatcher.close();
    }
  });

  it('answers the API’s use_dpop_nonce with one more request carrying the nonce, same token', async () => {
    world.api.dpop.requireNonce = true;
    const dispatcher = create(dpop());
    try {
      const response = await send(dispatcher, `${world.api.url}/api/echo`, { method: 'POST', body: '{"n":1}' });
      expect(response.statusCode).toBe(200);
      expect(response.json.body).toBe('{"n":1}');
      const [first, retried] = world.api.received.authorizations('/api/echo');
      expect(retried).toBe(first);
      expect(world.api.stats.dpop.rejectedFor('nonce')).toBe(1);
      expect(world.auth.stats.tokenRequests).toBe(1);
      // The nonce is remembered: the next request needs no round trip.
      await send(dispatcher, `${world.api.url}/api/echo`);
      expect(world.api.received.authorizations('/api/echo')).toHaveLength(3);
    } finally {
      await dispatcher.close();
    }
  });

  it('makes a token retry and a nonce retry, each at most once, for one request', async () => {
    world.api.dpop.requireNonce = true;
    world.api.rejectNext(1);
    const dispatcher = create(dpop());
    try {
      const response = await send(dispatcher, `${world.api.url}/api/echo`);
      expect(response.statusCode).toBe(200);
      const [rejected, nonceless, withNonce] = world.api.received.authorizations('/api/echo');
      expect(nonceless).not.toBe(rejected);
      expect(withNonce).toBe(nonceless);
      expect(world.auth.stats.tokenRequests).toBe(2);

      world.api.rejectNext(2);
      const refused = await send(dispatcher, `${world.api.url}/api/echo`);
      expect(refused.statusCode).toBe(401);
      expect(world.api.received.authorizations('/api/echo')).toHaveLength(5);
    } finally {
      await dispatcher.close();
    }
  });

  it('does not resend a stream body when the API asks for a nonce: the 401 goes back', async () => {
    world.api.dpop.requireNonce = true;
    const dispatcher = create(dpop());
    try {
      const response = await send(dispatcher, `${world.api.url}/api/echo`, { method: 'POST', body: Readable.from(['streamed']) });
      expect(response.statusCode).toBe(401);
      expect(world.api.received.authorizations('/api/echo')).toHaveLength(1);
    } finally {
      await dispatcher.close();
    }
  });
});

describe.each(redirectingDispatcherSetups)('$name, redirects', ({ create }) => {
  it('gives a hop that stays in the match a proof for its own method and URL', async () => {
    const dispatcher = create(dpop());
    try {
      const response = await send(dispatcher, world.redirectUrl(`${world.api.url}/api/echo?hop=1`, 303), { method: 'POST', body: 'x' });
      expect(response.statusCode).toBe(200);
      expect(response.json.method).toBe('GET');
      expectDpopStamped(response.json);
      expect(world.api.stats.dpop.snapshot().rejected).toBe(0);
    } finally {
      await dispatcher.close();
    }
  });

  it('sends neither Authorization nor DPoP on a hop that leaves the match', async () => {
    const dispatcher = create(dpop());
    try {
      const response = await send(dispatcher, world.redirectUrl(`${world.elsewhere.url}/anything`));
      expect(response.statusCode).toBe(200);
      expect(response.json.headers?.authorization).toBeUndefined();
      expect(response.json.headers?.dpop).toBeUndefined();
    } finally {
      await dispatcher.close();
    }
  });
});

describe.each([
  ['new Agent().compose(mcaInterceptor(o))', (o: McaOptions) => new Agent().compose(mcaInterceptor(o))],
  ['new McaAgent({ mca: o })', (o: McaOptions) => new McaAgent({ mca: o })],
])('Node’s global fetch through %s', (_name, create) => {
  async function withGlobal<T>(options: McaOptions, run: () => Promise<T>): Promise<T> {
    const dispatcher = create(options);
    const restore = installGlobalDispatcher(dispatcher);
    try {
      return await run();
    } finally {
      restore();
      await dispatcher.close();
    }
  }

  it('gets a DPoP token through the token endpoint’s nonce, then a nonce from the API, and follows redirects', async () => {
    world.auth.dpop.requireNonce = true;
    world.api.dpop.requireNonce = true;
    await withGlobal(dpop(), async () => {
      // fetch hands undici every body as a one-shot async iterable, so only a request without one is resent.
      const response = await fetch(`${world.api.url}/api/echo`);
      expect(response.status).toBe(200);
      expectDpopStamped((await response.json()) as EchoResponse['json']);
      expect(world.auth.stats.tokenRequests).toBe(2);
      expect(world.api.stats.dpop.rejectedFor('nonce')).toBe(1);
      const posted = await fetch(`${world.api.url}/api/echo`, { method: 'POST', body: 'hello' });
      expect(((await posted.json()) as EchoResponse['json']).body).toBe('hello');

      const hop = await fetch(world.redirectUrl(`${world.api.url}/api/echo?hop=1`, 307), { method: 'PATCH', body: 'again' });
      expect(hop.status).toBe(200);
      expect(((await hop.json()) as EchoResponse['json']).method).toBe('PATCH');

      const away = (await (await fetch(world.redirectUrl(`${world.elsewhere.url}/x`))).json()) as EchoResponse['json'];
      expect(away.headers?.authorization).toBeUndefined();
      expect(away.headers?.dpop).toBeUndefined();
    });
  });

  it('does not resend a ReadableStream body: the nonce 401 goes back', async () => {
    world.api.dpop.requireNonce = true;
    await withGlobal(dpop(), async () => {
      const body = new ReadableStream({ start: (controller) => (controller.enqueue(new TextEncoder().encode('once')), controller.close()) });
      const response = await fetch(`${world.api.url}/api/echo`, { method: 'POST', body, duplex: 'half' } as RequestInit);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/use_dpop_nonce/);
    });
  });
});
