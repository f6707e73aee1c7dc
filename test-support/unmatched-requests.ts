/**
 * What the issue #20 tests share: a server of their own on 127.0.0.1, and adapter options whose match
 * covers none of its URLs, so every request to it is one the adapter must leave exactly as it was.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Matches only an origin no test calls: nothing is stamped, no token is ever fetched. */
export const optionsMatchingNothingHere = {
  match: 'https://orders.example.com/api/',
  tokenEndpoint: 'https://login.example.com/oauth2/token',
  clientId: 'orders-client',
  secret: 'orders-secret',
  env: {},
};

/** Starts `listener` on a free 127.0.0.1 port before the file's tests and closes it after them. */
export function useLocalServer(listener: RequestListener): { readonly origin: string } {
  const holder = { origin: '' };
  let server: Server;
  beforeAll(async () => {
    server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return holder;
}
