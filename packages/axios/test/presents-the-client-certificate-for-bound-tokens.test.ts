/**
 * RFC 8705 §3: a certificate-bound token is only good from a connection that presents its certificate. With
 * axios the app gives `httpsAgent` the same certificate and key as `tls` of the token options.
 */
import https from 'node:https';
import axios from 'axios';
import { mcaInterceptor } from '../src/index.js';
import { startMtlsWorld, type MtlsWorld } from '../../../test-support/mtls-world.js';

let world: MtlsWorld;
beforeAll(async () => {
  world = await startMtlsWorld();
});
afterAll(() => world.close());

function client(httpsAgent: https.Agent) {
  const http = axios.create({ baseURL: world.api.url, httpsAgent, validateStatus: () => true });
  http.interceptors.request.use(mcaInterceptor(world.options()));
  return http;
}

it('httpsAgent with the client certificate: the bound token is accepted', async () => {
  const agent = new https.Agent({ ca: world.ca, cert: world.client.cert, key: world.client.key });
  expect((await client(agent).get('/api/echo')).status).toBe(200);
  agent.destroy();
});

it('httpsAgent without it: the API refuses the bound token', async () => {
  const agent = new https.Agent({ ca: world.ca });
  expect((await client(agent).get('/api/echo')).status).toBe(401);
  agent.destroy();
});
