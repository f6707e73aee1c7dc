/**
 * The migration guide's Express 5 example (examples/express5-migration/app.mjs) works as printed: the seed's route
 * written for Express 5, and an axios call to a protected API with the adapter, credentials bound in VCAP_SERVICES.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, startDevServer, startProtectedApi, type DevServer, type ProtectedApi,
} from '@mca-oauth/dev-server';
import { freePort, getWhenListening } from '../support/local-app.js';

const repository = fileURLToPath(new URL('../../../../', import.meta.url));
const example = `${repository}examples/express5-migration/app.mjs`;
const guide = `${repository}docs/migrating-from-bms-mca-oauth-sdk.md`;

let auth: DevServer;
let api: ProtectedApi;
let app: ChildProcess | undefined;
beforeAll(async () => {
  // The example imports the packages as an app installs them: their built dist/.
  for (const name of ['core', 'axios']) expect(existsSync(`${repository}packages/${name}/dist/index.js`)).toBe(true);
  auth = await startDevServer();
  api = await startProtectedApi({ server: auth });
});
afterAll(async () => {
  app?.kill();
  await Promise.all([api.close(), auth.close()]);
});

it('is the code the migration guide prints', () => {
  const code = readFileSync(example, 'utf8').split('\n').slice(1).join('\n').trim();
  expect(readFileSync(guide, 'utf8')).toContain(code);
});

it('serves the seed route and calls the protected API with a token, in Express 5', async () => {
  const port = await freePort();
  const vcapServices = {
    AdvancedMobileAccess: [
      { name: 'mca', credentials: { clientId: DEFAULT_CLIENT_ID, secret: DEFAULT_CLIENT_SECRET, serverUrl: auth.url, tenantId: DEFAULT_TENANT_ID } },
    ],
  };
  app = spawn(process.execPath, [example], {
    env: {
      PATH: process.env['PATH'],
      PORT: String(port),
      ORDERS_API: `${api.url}/api`,
      VCAP_SERVICES: JSON.stringify(vcapServices),
      VCAP_APPLICATION: '{"application_id":"dev-app"}',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  app.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  app.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const hello = await getWhenListening(`http://127.0.0.1:${port}/hello`);
  expect(hello.status).toBe(200);
  expect(await hello.text()).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);

  const order = await getWhenListening(`http://127.0.0.1:${port}/orders/42`);
  expect(order.status).toBe(200);
  const echo = (await order.json()) as { url: string; headers: Record<string, string> };
  expect(echo.url).toBe('/api/orders/42');
  expect(echo.headers['authorization']).toMatch(/^Bearer /);
  expect(output).not.toContain(DEFAULT_CLIENT_SECRET);
});
