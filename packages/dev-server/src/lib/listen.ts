/** Starting and stopping a node:http server on the loopback interface. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invalidArg } from './invalid-arg.js';

/** Only loopback: these servers hand out credentials and have unauthenticated admin routes. */
export const LOOPBACK_HOST = '127.0.0.1';

/** Listens on 127.0.0.1:`port` (0 = any free port) and resolves with the base URL, no trailing slash. */
export function listenOnLoopback(server: Server, port = 0): Promise<string> {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw invalidArg(`options.port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK_HOST, () => {
      server.off('error', reject);
      const { port: chosen } = server.address() as AddressInfo;
      resolve(`${'setSecureContext' in server ? 'https' : 'http'}://${LOOPBACK_HOST}:${chosen}`);
    });
  });
}

/**
 * Stops accepting connections and resolves once every socket is closed. `close()` alone waits for
 * keep-alive sockets to time out and for held requests to finish; `closeAllConnections()` (Node
 * 18.2+) destroys them now, which is what a test's `afterAll` wants.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
