/** Runs the hop table (redirect-hops.ts) against one client: the body of each client's test file. */
import { createTokenCache } from '@mca-oauth/core';
import { HOPS, type Hop } from './redirect-hops.js';
import { closeClients, createRedirectClient, type ClientName, type RedirectClient } from './redirect-clients.js';
import { isBearer, startRedirectServers, type RedirectServers } from './redirect-servers.js';

export interface MatrixOptions {
  /** Hops this client refuses to follow at all, with the reason: then nothing may arrive. */
  readonly refuses?: Readonly<Record<string, string>>;
}

export function runRedirectMatrix(name: ClientName, matrix: MatrixOptions = {}): void {
  let servers: RedirectServers;
  const clients: Partial<Record<Hop['via'], RedirectClient>> = {};

  beforeAll(async () => {
    servers = await startRedirectServers();
    // One cache for both: a token fetched for the API's match is not reused for the front's (another key).
    const cache = createTokenCache({ max: 4 });
    const setup = (match: string) => ({ options: servers.world.options({ match, cache, cacheSize: undefined }), ca: servers.front.certificate });
    clients.api = createRedirectClient(name, setup(`${servers.world.api.url}/api`));
    clients.tls = createRedirectClient(name, setup(`${servers.front.httpsUrl}/api`));
  });

  afterAll(async () => {
    await closeClients(Object.values(clients));
    await servers?.close();
  });

  it.each(HOPS)(`${name}: $name → token $token`, async (hop) => {
    servers.clearLogs();
    const base = hop.via === 'tls' ? servers.front.httpsUrl : servers.world.api.url;
    const query = new URLSearchParams({ to: hop.location(servers), status: String(hop.status ?? 302) });
    const result = await clients[hop.via]!.get(`${base}/api/redirect?${query}`);
    // The hop that answered the redirect was inside the match: it carried our token.
    expect(servers.world.api.received.authorizations('/api/redirect')).toEqual([expect.stringMatching(/^Bearer /)]);
    const { log, path } = hop.arrives(servers);
    const arrived = log.authorizations(path);
    const refusal = matrix.refuses?.[hop.name];
    if (refusal !== undefined) {
      expect({ arrived, failed: typeof result !== 'number', refusal }).toEqual({ arrived: [], failed: true, refusal });
      return;
    }
    const expected = hop.tokenFor?.[name]?.token ?? hop.token;
    expect(arrived).toHaveLength(1);
    expect(arrived.map(isBearer)).toEqual([expected === 'kept']);
  });
}
