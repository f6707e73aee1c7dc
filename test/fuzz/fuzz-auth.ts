/** The authorization server behind every fuzz run: one real token, fetched once, then served from the cache. */
import { closeIdleTokenConnections, type McaOptions } from '@mca-oauth/core';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startDevServer } from '@mca-oauth/dev-server';
import { PROTECTED_PREFIX } from './adversarial-urls.js';

export interface FuzzAuth {
  /** Options matching `https://orders.example.com/api`, each call with its own cache. */
  options(): McaOptions;
  readonly tokenRequests: number;
  close(): Promise<void>;
}

export async function startFuzzAuth(): Promise<FuzzAuth> {
  // ES256 signs about ten times faster than RS256: the fuzz needs one token, the suite's other files many.
  const auth = await startDevServer({ signingAlg: 'ES256' });
  return {
    options: () => ({
      match: PROTECTED_PREFIX,
      tokenEndpoint: auth.tokenEndpoint,
      clientId: DEFAULT_CLIENT_ID,
      secret: DEFAULT_CLIENT_SECRET,
      cacheSize: 5,
      env: {},
    }),
    get tokenRequests() {
      return auth.stats.tokenRequests;
    },
    close: async () => {
      await auth.close();
      closeIdleTokenConnections();
    },
  };
}
