/** Counters of token requests, so tests and benchmarks can assert "exactly one token request". */
import { DpopStats, type DpopStatsSnapshot } from '../dpop/dpop-stats.js';

/** Requests seen and how they ended. `failures` includes answers replaced by a fault. */
export interface RequestCounts {
  requests: number;
  successes: number;
  failures: number;
}

/** A copy of the counters at one moment; safe to keep and compare. */
export interface TokenStatsSnapshot {
  /** Token requests on both protocols; `faulted` counts those answered by an injected fault. */
  tokenRequests: RequestCounts & { faulted: number };
  /** Split by protocol: `oauth` = `/oauth2/token`, `mca` = `/authorization/v1/apps/{tenant}/token`. */
  byProtocol: { oauth: RequestCounts; mca: RequestCounts };
  /** Keyed by the client id the request claimed (authenticated or not). */
  byClient: Record<string, RequestCounts>;
  /** Keyed by `statsKey(...)`: client id + scope + audience + resource. */
  byKey: Record<string, RequestCounts>;
  /** GETs of either discovery document. */
  discoveryRequests: number;
  /** GETs of the JWKS or the MCA public key. */
  jwksRequests: number;
  /** DPoP proofs sent to the token endpoints: accepted, and refused by reason. */
  dpop: DpopStatsSnapshot;
}

/** The parts of a token request that make it distinct, as the client library's cache sees it. */
export interface StatsKeyParts {
  clientId: string;
  scope?: string | readonly string[];
  audience?: string | readonly string[];
  resource?: string | readonly string[];
}

function normalise(value: string | readonly string[] | undefined): string {
  const list = typeof value === 'string' ? value.split(' ') : [...(value ?? [])];
  return list.filter((v) => v !== '').sort().join(' ');
}

/**
 * The key under which `byKey` counts a request: `clientId|scope|audience|resource`, each list
 * sorted and space-joined, so `scope=b a` and `scope=a b` count together. MCA requests use the
 * tenant id as audience.
 */
export function statsKey(parts: StatsKeyParts): string {
  return `${parts.clientId}|${normalise(parts.scope)}|${normalise(parts.audience)}|${normalise(parts.resource)}`;
}

const zero = (): RequestCounts => ({ requests: 0, successes: 0, failures: 0 });

/** Mutable counters behind `DevServer.stats`. */
export class TokenStats {
  #oauth = zero();
  #mca = zero();
  #faulted = 0;
  #byClient = new Map<string, RequestCounts>();
  #byKey = new Map<string, RequestCounts>();
  #discovery = 0;
  #jwks = 0;

  /** @param dpop the DPoP proof counters of the token endpoints, reported and reset with these. */
  constructor(readonly dpop: DpopStats = new DpopStats()) {}

  /** Records one token request's outcome. */
  record(protocol: 'oauth' | 'mca', clientId: string, key: string, outcome: 'success' | 'failure' | 'fault'): void {
    const field = outcome === 'success' ? 'successes' : 'failures';
    if (outcome === 'fault') this.#faulted++;
    for (const counts of [
      protocol === 'oauth' ? this.#oauth : this.#mca,
      this.#entry(this.#byClient, clientId),
      this.#entry(this.#byKey, key),
    ]) {
      counts.requests++;
      counts[field]++;
    }
  }

  recordDiscovery(): void {
    this.#discovery++;
  }

  recordJwks(): void {
    this.#jwks++;
  }

  #entry(map: Map<string, RequestCounts>, key: string): RequestCounts {
    let counts = map.get(key);
    if (!counts) map.set(key, (counts = zero()));
    return counts;
  }

  /** Token requests so far, both protocols, all clients (a shortcut for the common assertion). */
  get tokenRequests(): number {
    return this.#oauth.requests + this.#mca.requests;
  }

  snapshot(): TokenStatsSnapshot {
    const sum = (f: keyof RequestCounts): number => this.#oauth[f] + this.#mca[f];
    return {
      tokenRequests: { requests: sum('requests'), successes: sum('successes'), failures: sum('failures'), faulted: this.#faulted },
      byProtocol: { oauth: { ...this.#oauth }, mca: { ...this.#mca } },
      byClient: Object.fromEntries([...this.#byClient].map(([k, v]) => [k, { ...v }])),
      byKey: Object.fromEntries([...this.#byKey].map(([k, v]) => [k, { ...v }])),
      discoveryRequests: this.#discovery,
      jwksRequests: this.#jwks,
      dpop: this.dpop.snapshot(),
    };
  }

  reset(): void {
    this.#oauth = zero();
    this.#mca = zero();
    this.#faulted = 0;
    this.#byClient.clear();
    this.#byKey.clear();
    this.#discovery = 0;
    this.#jwks = 0;
    this.dpop.reset();
  }
}
