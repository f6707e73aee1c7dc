/**
 * The servers every redirect test talks to, on 127.0.0.1: the test world (authorization server, protected API,
 * another origin) and a TLS front that serves the protected API on one port in both https and plain http.
 */
import { startTestWorld, type TestWorld } from '../../test-support/world.js';
import { startTlsFront, type TlsFront } from '../../test-support/tls-front.js';

export interface RedirectServers {
  readonly world: TestWorld;
  readonly front: TlsFront;
  /** Forgets what arrived, before each request. */
  clearLogs(): void;
  close(): Promise<void>;
}

export async function startRedirectServers(): Promise<RedirectServers> {
  const world = await startTestWorld();
  const front = await startTlsFront(world.api.url);
  return {
    world,
    front,
    clearLogs() {
      world.api.received.clear();
      world.elsewhere.received.clear();
    },
    close: async () => {
      await front.close();
      await world.close();
    },
  };
}

export function isBearer(value: string | undefined): boolean {
  return value?.startsWith('Bearer ') === true;
}
