/**
 * RFC 8705 §3: a certificate-bound token is only good from a connection that presents its certificate. With
 * undici the app gives the Agent the same certificate in `connect`; McaAgent takes it once, in
 * `clientCertificate`, for the token requests and the API alike.
 */
import { inspect } from 'node:util';
import { Agent, type Dispatcher } from 'undici';
import { McaAgent, McaErrorCodes, mcaInterceptor } from '../src/index.js';
import { startMtlsWorld, type MtlsWorld } from '../../../test-support/mtls-world.js';

let world: MtlsWorld;
beforeAll(async () => {
  world = await startMtlsWorld();
});
afterAll(() => world.close());

async function status(dispatcher: Dispatcher): Promise<number> {
  const response = await dispatcher.request({ origin: world.api.url, path: '/api/echo', method: 'GET' });
  await response.body.text();
  await dispatcher.close();
  return response.statusCode;
}

it('Agent with connect { cert, key } composed with mcaInterceptor: the bound token is accepted', async () => {
  const agent = new Agent({ connect: { ca: world.ca, cert: world.client.cert, key: world.client.key } }).compose(mcaInterceptor(world.options()));
  expect(await status(agent)).toBe(200);
});

it('the same token from a connection without the certificate is refused by the API', async () => {
  const agent = new Agent({ connect: { ca: world.ca } }).compose(mcaInterceptor(world.options()));
  expect(await status(agent)).toBe(401);
});

it('McaAgent clientCertificate: one option authenticates the token request and is presented to the API', async () => {
  const { tls, ...options } = world.options();
  const agent = new McaAgent({
    mca: { ...options, tls: { ca: tls!.ca! } },
    clientCertificate: { cert: world.client.cert, key: world.client.key },
    connect: { ca: world.ca },
  });
  expect(inspect(agent, { depth: Infinity, showHidden: true })).not.toContain(world.client.key.split('\n')[2]);
  expect(await status(agent)).toBe(200);
});

it('McaAgent without clientCertificate gets a bound token the API refuses from its connection', async () => {
  const agent = new McaAgent({ mca: world.options(), connect: { ca: world.ca } });
  expect(await status(agent)).toBe(401);
});

it('McaAgent refuses a clientCertificate without its key, and one beside a connect function', () => {
  expect(() => new McaAgent({ mca: world.options(), clientCertificate: { cert: world.client.cert } as never })).toThrow(
    expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION }),
  );
  expect(() => new McaAgent({ mca: world.options(), clientCertificate: world.client, connect: () => undefined as never })).toThrow(
    expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION }),
  );
});
