/** What the adapters' DPoP tests share: a world with every DPoP switch off, and what a DPoP-stamped request shows. */
import type { TestWorld } from './world.js';

/** Before each test: no nonces required, counters and logs empty, no pending 401s. */
export function resetDpopWorld(world: TestWorld): void {
  world.auth.stats.reset();
  world.auth.dpop.requireNonce = false;
  world.api.dpop.requireNonce = false;
  world.api.stats.reset();
  world.api.received.clear();
  world.elsewhere.received.clear();
  world.api.rejectNext(0);
}

/** The echo of a request that carried `Authorization: DPoP …` and a compact-JWS proof. */
export function expectDpopStamped(echo: { headers?: Record<string, string | string[] | undefined> }): void {
  expect(echo.headers?.['authorization']).toMatch(/^DPoP /);
  expect(echo.headers?.['dpop']).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
}
