import got from 'got';
import type { EchoBody } from '@mca-oauth/dev-server';
import { mcaHooks } from '../src/index.js';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';
import { startTlsFront, type TlsFront } from '../../../test-support/tls-front.js';

let world: TestWorld;
let front: TlsFront;
beforeAll(async () => {
  world = await startTestWorld();
  front = await startTlsFront(world.api.url);
});
afterAll(async () => {
  await front.close();
  await world.close();
});
beforeEach(() => {
  world.api.received.clear();
  world.elsewhere.received.clear();
});

const client = () => got.extend(mcaHooks(world.options()), { retry: { limit: 0 } });

it('sends no token to another origin (another port) a redirect leads to, though the first hop had one', async () => {
  await client().get(world.redirectUrl(`${world.elsewhere.url}/landing`));
  expect(world.api.received.authorizations('/api/redirect')).toEqual([expect.stringMatching(/^Bearer /)]);
  expect(world.elsewhere.received.authorizations('/landing')).toEqual([undefined]);
});

it('sends no token to a path outside the prefix on the same origin, where got itself keeps the header', async () => {
  const echo = await client().get(world.redirectUrl(`${world.api.url}/public/echo`)).json<EchoBody>();
  expect(echo.url).toBe('/public/echo');
  expect(echo.headers.authorization).toBeUndefined();
});

it.each([301, 302, 303, 307, 308])('keeps the token on a %i redirect that stays inside the match', async (status) => {
  const echo = await client().get(world.redirectUrl(`${world.api.url}/api/echo?after=${status}`, status)).json<EchoBody>();
  expect(echo.url).toBe(`/api/echo?after=${status}`);
  expect(echo.claims).toBeDefined();
});

it('keeps the token and the body on a 307 POST inside the match', async () => {
  const echo = await client()
    .post(world.redirectUrl(`${world.api.url}/api/echo`, 307), { json: { order: 42 } })
    .json<EchoBody>();
  expect(echo.method).toBe('POST');
  expect(echo.body).toBe('{"order":42}');
  expect(echo.claims).toBeDefined();
});

it('strips the token at the hop that leaves, after hops that stayed inside', async () => {
  const chain = world.redirectUrl(world.redirectUrl(`${world.elsewhere.url}/end-of-chain`));
  await client().get(chain);
  expect(world.api.received.authorizations('/api/redirect')).toEqual([expect.stringMatching(/^Bearer /), expect.stringMatching(/^Bearer /)]);
  expect(world.elsewhere.received.authorizations('/end-of-chain')).toEqual([undefined]);
});

describe('https → http on the same host and port (got 14 compares host and port only)', () => {
  const tlsClient = () =>
    got.extend(mcaHooks(world.options({ match: `${front.httpsUrl}/api` })), {
      https: { certificateAuthority: front.certificate },
      retry: { limit: 0 },
    });

  it('stamps the https URL', async () => {
    const echo = await tlsClient().get(`${front.httpsUrl}/api/echo`).json<EchoBody>();
    expect(echo.claims).toBeDefined();
  });

  it('sends no token once the redirect drops to plain http', async () => {
    const to = `${front.httpUrl}/public/after-downgrade`;
    const echo = await tlsClient().get(`${front.httpsUrl}/api/redirect?${new URLSearchParams({ to })}`).json<EchoBody>();
    expect(echo.url).toBe('/public/after-downgrade');
    expect(world.api.received.authorizations('/api/redirect')).toEqual([expect.stringMatching(/^Bearer /)]);
    expect(world.api.received.authorizations('/public/after-downgrade')).toEqual([undefined]);
  });
});

it('lets another mcaHooks instance stamp its own token where the first one stripped its own', async () => {
  const api = got.extend(
    mcaHooks(world.options()),
    mcaHooks(world.options({ match: `${world.elsewhere.url}/second-api` })),
    { retry: { limit: 0 } },
  );
  await api.get(world.redirectUrl(`${world.elsewhere.url}/second-api/x`));
  const [first] = world.api.received.authorizations('/api/redirect');
  const [second] = world.elsewhere.received.authorizations('/second-api/x');
  expect(first).toMatch(/^Bearer /);
  expect(second).toMatch(/^Bearer /);
  expect(second).not.toBe(first);
});
