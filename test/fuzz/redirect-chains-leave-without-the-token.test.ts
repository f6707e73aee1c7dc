/**
 * Redirect chains on real servers (127.0.0.1), 250 per client: generated `Location` values, sometimes behind one
 * or two more redirects of the protected API, followed by axios, got, undici and global fetch. Each hop is
 * predicted with WHATWG URL (as every one of these clients resolves a Location) and judged by the oracle; what
 * arrived is read from the servers' logs. A hop the oracle puts outside the match must arrive without our token.
 */
import fc from 'fast-check';
import type { ReceivedLog } from '@mca-oauth/dev-server';
import { closeClients, createRedirectClient, type ClientName, type RedirectClient } from '../redirects/redirect-clients.js';
import { isBearer, startRedirectServers, type RedirectServers } from '../redirects/redirect-servers.js';
import { FUZZ_SEED } from './fuzz-run.js';
import { redirectChain, type ChainPorts, type RedirectChain } from './redirect-locations.js';
import { createOracle, type Oracle } from './wire-oracle.js';

const CHAINS_PER_CLIENT = 250;

let servers: RedirectServers;
let ports: ChainPorts;
let oracle: Oracle;

beforeAll(async () => {
  servers = await startRedirectServers();
  const port = (url: string) => Number(new URL(url).port);
  ports = { api: port(servers.world.api.url), elsewhere: port(servers.world.elsewhere.url), front: port(servers.front.httpUrl) };
  oracle = createOracle(`${servers.world.api.url}/api`);
});

afterAll(() => servers?.close());

interface PredictedHop {
  readonly log: ReceivedLog;
  readonly path: string;
  readonly mayCarryToken: boolean;
}

/** Where each hop lands, while a server is listening there, and whether it may carry the token. */
function predictHops(chain: RedirectChain): PredictedHop[] {
  let current = new URL(servers.world.redirectUrl(chain.locations[0]!, chain.statuses[0]));
  // The first hop is the API's redirect route, inside the match: it carries the token.
  const hops: PredictedHop[] = [{ log: servers.world.api.received, path: current.pathname, mayCarryToken: true }];
  for (const location of chain.locations) {
    try {
      current = new URL(location, current);
    } catch {
      break; // the client fails on it: no hop
    }
    const port = Number(current.port);
    const host = current.hostname === '127.0.0.1' || current.hostname === 'localhost';
    const log = !host ? undefined : port === ports.elsewhere ? servers.world.elsewhere.received : port === ports.api || port === ports.front ? servers.world.api.received : undefined;
    if (log === undefined) break;
    const verdict = oracle.judge({ protocol: current.protocol, hostname: current.hostname, port: current.port, target: current.pathname + current.search });
    hops.push({ log, path: current.pathname, mayCarryToken: verdict === 'inside' || verdict === 'unsure' });
  }
  return hops;
}

interface ChainReport {
  readonly chains: number;
  readonly hopsChecked: number;
  readonly ambiguous: number;
  readonly leaks: string[];
}

async function followChains(client: RedirectClient): Promise<ChainReport> {
  const chains = fc.sample(redirectChain(ports), { numRuns: CHAINS_PER_CLIENT, seed: FUZZ_SEED });
  const leaks: string[] = [];
  let hopsChecked = 0;
  let ambiguous = 0;
  for (const chain of chains) {
    servers.clearLogs();
    await client.get(servers.world.redirectUrl(chain.locations[0]!, chain.statuses[0]));
    // Group predicted hops by where they land: a log entry can be checked only if every hop landing there is outside.
    const groups = new Map<string, { hop: PredictedHop; mayCarryToken: boolean }>();
    for (const hop of predictHops(chain)) {
      const key = `${hop.log === servers.world.api.received ? 'api' : 'elsewhere'} ${hop.path}`;
      const group = groups.get(key);
      groups.set(key, { hop, mayCarryToken: (group?.mayCarryToken ?? false) || hop.mayCarryToken });
    }
    for (const { hop, mayCarryToken } of groups.values()) {
      if (mayCarryToken) {
        ambiguous++;
        continue;
      }
      const arrived = hop.log.authorizations(hop.path);
      hopsChecked += arrived.length;
      if (arrived.some(isBearer)) leaks.push(`${JSON.stringify(chain.locations)} → ${hop.path}`);
    }
    // Whatever any client made of the chain: nothing under another origin, nothing outside the prefix, carries it.
    for (const path of servers.world.elsewhere.received.paths()) {
      if (servers.world.elsewhere.received.authorizations(path).some(isBearer)) leaks.push(`${JSON.stringify(chain.locations)} → elsewhere ${path}`);
    }
    for (const path of servers.world.api.received.paths()) {
      for (const entry of servers.world.api.received.forPath(path)) {
        const verdict = oracle.judge({ protocol: 'http:', hostname: '127.0.0.1', port: String(ports.api), target: entry.url });
        if ((verdict === 'outside' || verdict === 'escapes') && isBearer(entry.authorization)) leaks.push(`${JSON.stringify(chain.locations)} → ${entry.url}`);
      }
    }
  }
  return { chains: chains.length, hopsChecked, ambiguous, leaks: [...new Set(leaks)].slice(0, 12) };
}

describe.each<ClientName>(['axios', 'got', 'undici', 'fetch'])('%s', (name) => {
  let client: RedirectClient;
  beforeAll(() => {
    client = createRedirectClient(name, { options: servers.world.options(), ca: servers.front.certificate });
  });
  afterAll(() => closeClients([client]));

  it(`follows ${CHAINS_PER_CLIENT} generated redirect chains and sends no token on a hop that leaves the match`, async () => {
    const report = await followChains(client);
    console.log(`${name}: ${report.chains} redirect chains (seed ${FUZZ_SEED}), ${report.hopsChecked} hops outside the match checked, ${report.ambiguous} landing places skipped (shared with a hop inside)`);
    expect(report.hopsChecked).toBeGreaterThan(CHAINS_PER_CLIENT / 4);
    expect(report.leaks).toEqual([]);
  }, 60_000);
});
