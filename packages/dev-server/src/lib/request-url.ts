/** The absolute URL a request reached, as a DPoP proof's `htu` must name it (RFC 9449 §4.3). */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * The scheme of the connection the request came on + the `Host` the client sent + the path: the URL as the
 * client wrote it, so a client calling `localhost` instead of `127.0.0.1` is checked against what it signed,
 * and one calling the https dev server against its `https://` URL. `base` (the server's own URL) stands in
 * for a request without `Host` (HTTP/1.0).
 */
export function requestUrl(req: IncomingMessage, path: string, base: string): string {
  const host = req.headers.host;
  if (!host) return `${base}${path}`;
  return `${(req.socket as TLSSocket).encrypted === true ? 'https' : 'http'}://${host}${path}`;
}
