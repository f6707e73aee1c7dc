/**
 * The migration promise: the retired bms-mca-oauth-sdk's documented sample runs with only its require line
 * changed, from CommonJS, against a real MCA server (the dev server) bound through VCAP_SERVICES.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, createTokenVerifier, startDevServer, type DevServer } from '@mca-oauth/dev-server';
import { freePort, getWhenListening } from '../support/local-app.js';

const repository = fileURLToPath(new URL('../../../../', import.meta.url));
const sample = `${repository}examples/seed-migration/app.js`;
const coreCommonJs = `${repository}packages/core/dist/index.cjs`;

let auth: DevServer;
let app: ChildProcess | undefined;

beforeAll(async () => {
  if (!existsSync(coreCommonJs)) {
    // The sample require()s the published shape of core: its CommonJS build.
    const built = spawnSync('npx', ['tsup'], { cwd: `${repository}packages/core`, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('could not build @mca-oauth/core for the migration test');
  }
  auth = await startDevServer();
});

afterAll(async () => {
  app?.kill();
  await auth.close();
});

it("runs the seed's README sample, changed only in its require line, against an MCA server bound in VCAP_SERVICES", async () => {
  const port = await freePort();
  const vcapServices = {
    AdvancedMobileAccess: [
      { name: 'mca', credentials: { clientId: DEFAULT_CLIENT_ID, secret: DEFAULT_CLIENT_SECRET, serverUrl: auth.url, tenantId: DEFAULT_TENANT_ID } },
    ],
  };
  app = spawn(process.execPath, [sample], {
    env: { ...process.env, PORT: String(port), VCAP_SERVICES: JSON.stringify(vcapServices), VCAP_APPLICATION: '{"application_id":"dev-app"}' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  app.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  app.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const first = await getWhenListening(`http://127.0.0.1:${port}/hello`);
  const authHeader = await first.text();
  expect(first.status).toBe(200);
  expect(authHeader).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);

  const verifier = createTokenVerifier({ server: auth, audience: DEFAULT_TENANT_ID });
  const verified = await verifier.verify(authHeader);
  expect(verified.ok).toBe(true);

  // Unlike the seed, it caches: a second call makes no second token request.
  const second = await getWhenListening(`http://127.0.0.1:${port}/hello`);
  expect(await second.text()).toBe(authHeader);
  expect(auth.stats.snapshot().byProtocol.mca.requests).toBe(1);
  expect(output).not.toContain(DEFAULT_CLIENT_SECRET);
});
