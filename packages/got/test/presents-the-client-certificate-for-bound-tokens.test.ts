/**
 * RFC 8705 §3: a certificate-bound token is only good from a connection that presents its certificate. With
 * got the app sets `https.certificate` and `https.key` to the certificate and key of `tls` in the token options.
 */
import got from 'got';
import { mcaHooks } from '../src/index.js';
import { startMtlsWorld, type MtlsWorld } from '../../../test-support/mtls-world.js';

let world: MtlsWorld;
beforeAll(async () => {
  world = await startMtlsWorld();
});
afterAll(() => world.close());

const client = (https: { certificateAuthority: string; certificate?: string; key?: string }) =>
  got.extend(mcaHooks(world.options()), { https, retry: { limit: 0 }, throwHttpErrors: false });

it('https.certificate and https.key: the bound token is accepted', async () => {
  const api = client({ certificateAuthority: world.ca, certificate: world.client.cert, key: world.client.key });
  expect((await api.get(`${world.api.url}/api/echo`)).statusCode).toBe(200);
});

it('without them: the API refuses the bound token', async () => {
  const api = client({ certificateAuthority: world.ca });
  expect((await api.get(`${world.api.url}/api/echo`)).statusCode).toBe(401);
});
