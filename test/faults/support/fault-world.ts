/**
 * The test world of the fault suite: the dev server, the protected API, and the token front that core talks to
 * instead of the dev server. Each client gets its own token cache and its own scope, so the dev server counts
 * each client's token requests apart (`tokenRequestsOf`) even when several run at once.
 */
import { closeIdleTokenConnections, type McaOptions } from '@mca-oauth/core';
import { DEFAULT_CLIENT_ID, statsKey } from '@mca-oauth/dev-server';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';
import { TokenErrorLog } from './token-error-log.js';
import { TokenFront } from './token-front.js';

export interface FaultWorld {
  readonly world: TestWorld;
  readonly front: TokenFront;
  readonly tokenErrors: TokenErrorLog;
  /** `${api.url}/api/echo`, a protected URL. */
  readonly protectedUrl: string;
  /** Options for one client: its own cache, its own scope, token requests through the front. */
  options(scope: string, extra?: Partial<McaOptions>): McaOptions;
  /** The dev server's counts for requests made with `scope` (by any client of this world). */
  tokenRequestsOf(scope: string): { requests: number; successes: number; failures: number };
  /** Back to normal between tests: no fault, no 401 on demand, a one-hour token life, the front forwarding, API logs empty. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultWorld(): Promise<FaultWorld> {
  const world = await startTestWorld();
  const front = await TokenFront.start(world.auth.url);
  const tokenErrors = new TokenErrorLog();
  return {
    world,
    front,
    tokenErrors,
    protectedUrl: `${world.api.url}/api/echo`,
    options: (scope, extra = {}) => world.options({ tokenEndpoint: front.through(world.auth.tokenEndpoint), scope, cacheSize: 4, ...extra }),
    tokenRequestsOf: (scope) =>
      world.auth.stats.snapshot().byKey[statsKey({ clientId: DEFAULT_CLIENT_ID, scope })] ?? { requests: 0, successes: 0, failures: 0 },
    async reset() {
      world.auth.faults.clear();
      world.auth.setTokenTtl(3600);
      world.api.rejectNext(0);
      world.api.stats.reset();
      world.api.received.clear();
      front.mode = 'forward';
      front.resetCounters();
      if (!front.listening) await front.up();
    },
    async close() {
      tokenErrors.close();
      await front.close();
      await world.close();
      closeIdleTokenConnections();
    },
  };
}

