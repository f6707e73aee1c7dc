/**
 * The per-request outcomes (cache lookups, stamps, skips) are counted in plain numbers whether or not anyone
 * subscribes to the channels, one entry per route name, and `readMcaCounts()` reads them from every loaded copy
 * of core (an ESM and a CommonJS build here).
 */
import { spawnSync } from 'node:child_process';
import diagnostics from 'node:diagnostics_channel';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { CHANNEL_NAMES } from '../../src/observability/channels.js';
import { readMcaCounts, type McaCounts, type RouteCounts } from '../../src/observability/counts.js';
import type { McaOptions } from '../../src/config/options.js';
import { createStamper } from '../../src/stamping/stamper.js';
import { createTokenCache } from '../../src/cache/token-cache.js';
import { useNock } from '../support/use-nock.js';

const AUTH = 'https://auth.example.com';
const repository = fileURLToPath(new URL('../../../../', import.meta.url));

const options = (extra: Partial<McaOptions> = {}): McaOptions => ({
  tokenEndpoint: `${AUTH}/token`,
  clientId: 'counts-client',
  secret: 'counts-Secret-value',
  cacheSize: 10,
  env: {},
  ...extra,
});

useNock();

const NO_COUNTS: RouteCounts = { hit: 0, stale: 0, miss: 0, refresh: 0, stamped: 0, insecure: 0, callerAuthorization: 0 };

/** What changed since `before`, for the routes named. */
function since(before: McaCounts, ...names: string[]): { routes: Record<string, RouteCounts>; noMatch: number } {
  const now = readMcaCounts();
  const routes: Record<string, RouteCounts> = {};
  for (const name of names) {
    const [was, is] = [before.routes[name] ?? NO_COUNTS, now.routes[name] ?? NO_COUNTS];
    routes[name] = Object.fromEntries(Object.entries(is).map(([field, value]) => [field, value - was[field as keyof RouteCounts]])) as unknown as RouteCounts;
  }
  return { routes, noMatch: now.noMatch - before.noMatch };
}

it('counts a miss, hits, stamps and every skip by route name, with nobody subscribed to any channel', async () => {
  expect(Object.values(CHANNEL_NAMES).some((name) => diagnostics.channel(name).hasSubscribers)).toBe(false);
  nock(AUTH).post('/token').times(2).reply(200, { access_token: 'token-a', token_type: 'Bearer', expires_in: 3600 });
  const before = readMcaCounts();
  const stamper = createStamper(
    options({
      routes: [
        { match: 'https://orders.example.com/api/', name: 'counted-orders', scope: 'orders' },
        { match: 'http://ledger.example.com/v1/', name: 'counted-ledger', scope: 'ledger', allowInsecureHttp: true },
      ],
    }),
  );
  await stamper.authorizationFor('https://orders.example.com/api/1');
  for (let index = 0; index < 5; index++) expect(stamper.authorizationFor(`https://orders.example.com/api/${index}`)).toBe('Bearer token-a');
  expect(stamper.authorizationForTarget('https://orders.example.com', '/api/split')).toBe('Bearer token-a');
  expect(stamper.authorizationFor('https://orders.example.com/api/mine', { callerAuthorization: 'Basic mine' })).toBeUndefined();
  expect(stamper.authorizationFor('https://elsewhere.example.com/')).toBeUndefined();
  expect(stamper.authorizationFor('https://elsewhere.example.com/again')).toBeUndefined();
  await stamper.authorizationFor('http://ledger.example.com/v1/plain-http-allowed');

  const counted = since(before, 'counted-orders', 'counted-ledger');
  expect(counted.routes['counted-orders']).toEqual({ ...NO_COUNTS, miss: 1, hit: 6, stamped: 7, callerAuthorization: 1 });
  expect(counted.routes['counted-ledger']).toEqual({ ...NO_COUNTS, miss: 1, stamped: 1 });
  expect(counted.noMatch).toBe(2);
});

it('counts a stale hit and the refresh it starts, and no stamp for a token request that failed', async () => {
  nock(AUTH).post('/token').reply(200, { access_token: 'token-s', token_type: 'Bearer', expires_in: 100 });
  nock(AUTH).post('/token').reply(503, 'down');
  let skewMs = 0;
  const cache = createTokenCache({ now: () => Date.now() + skewMs });
  const before = readMcaCounts();
  const stamper = createStamper(options({ match: 'https://stale.example.com/', name: 'counted-stale', cache, cacheSize: undefined, clockSkewMs: 0 }));
  await stamper.authorizationFor('https://stale.example.com/1');
  skewMs = 95_000;
  expect(stamper.authorizationFor('https://stale.example.com/2')).toBe('Bearer token-s');
  await new Promise((resolve) => setTimeout(resolve, 50));
  skewMs = 200_000;
  await expect(stamper.authorizationFor('https://stale.example.com/3')).rejects.toMatchObject({ code: expect.stringMatching(/^MCA_/) });
  expect(since(before, 'counted-stale').routes['counted-stale']).toEqual({ ...NO_COUNTS, miss: 2, stale: 1, refresh: 1, stamped: 2 });
});

it('keeps one entry per route name however many stampers are made and dropped', () => {
  for (let index = 0; index < 50; index++) {
    createStamper(options({ match: 'https://many.example.com/', name: 'counted-many' })).authorizationFor('https://many.example.com/', {
      callerAuthorization: 'Basic x',
    });
  }
  expect(Object.keys(readMcaCounts().routes).filter((name) => name.startsWith('counted-many'))).toEqual(['counted-many']);
  expect(readMcaCounts().routes['counted-many']?.callerAuthorization).toBe(50);
});

it('two loaded copies of core (its ESM and CommonJS builds) count into one registry', () => {
  if (!existsSync(`${repository}packages/core/dist/index.cjs`)) {
    const built = spawnSync('npx', ['tsup'], { cwd: `${repository}packages/core`, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('could not build @mca-oauth/core');
  }
  const script = `
    import { createRequire } from 'node:module';
    const esm = await import(${JSON.stringify(`${repository}packages/core/dist/index.js`)});
    const cjs = createRequire(import.meta.url)(${JSON.stringify(`${repository}packages/core/dist/index.cjs`)});
    const route = { match: 'https://two.example.com/', name: 'two-copies', tokenEndpoint: 'https://auth.example.com/token', clientId: 'c', secret: 's', env: {} };
    esm.createStamper(route).authorizationFor('https://two.example.com/', { callerAuthorization: 'Basic a' });
    cjs.createStamper(route).authorizationFor('https://two.example.com/', { callerAuthorization: 'Basic b' });
    cjs.createStamper(route).authorizationFor('https://elsewhere.example.com/');
    console.log(JSON.stringify([esm.createStamper !== cjs.createStamper, esm.readMcaCounts(), cjs.readMcaCounts()]));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '--eval', script], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const [distinct, fromEsm, fromCjs] = JSON.parse(run.stdout) as [boolean, McaCounts, McaCounts];
  expect(distinct).toBe(true);
  expect(fromEsm).toEqual(fromCjs);
  expect(fromEsm.routes['two-copies']?.callerAuthorization).toBe(2);
  expect(fromEsm.noMatch).toBe(1);
});
