/** The fleet's settings shared by fleet.test.ts and the scenarios: the dev server's client, and generous limits. */
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type DevServer } from '@mca-oauth/dev-server';
import type { FleetConfig } from './fleet.mjs';

/** `redis`: where the store is (`redisPort`, `redisCluster` or `redisSentinel`); empty for no store. */
export function fleetConfig(auth: DevServer, redis: Partial<FleetConfig>, extra: Partial<FleetConfig> = {}): FleetConfig {
  return {
    ...redis,
    tokenEndpoint: auth.tokenEndpoint,
    clientId: DEFAULT_CLIENT_ID,
    secret: DEFAULT_CLIENT_SECRET,
    apiUrl: 'http://127.0.0.1:9/api',
    // Generous time limits: these tests prove the coordination, and a loaded CI machine must not turn a slow
    // reply into a fallback request; and above the few seconds a failover takes, so that a command waits it out.
    // The limits themselves are tested in redis-unavailable.test.ts.
    commandTimeoutMs: 5_000,
    waitTimeoutMs: 20_000,
    ...extra,
  };
}
