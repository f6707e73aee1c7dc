/** The absolute URL a request reached, as a DPoP proof's `htu` must name it (RFC 9449 §4.3). */
import type { IncomingMessage } from 'node:http';

/**
 * `http://` + the `Host` the client sent + the path: the URL as the client wrote it, so a client
 * calling `localhost` instead of `127.0.0.1` is checked against what it signed. `base` (the
 * server's own URL) stands in for a request without `Host` (HTTP/1.0).
 */
export function requestUrl(req: IncomingMessage, path: string, base: string): string {
  const host = req.headers.host;
  return host ? `http://${host}${path}` : `${base}${path}`;
}
