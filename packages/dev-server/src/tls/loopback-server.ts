/**
 * An http or https server for the dev servers. Over https it asks every client for a certificate but lets
 * the handshake finish without one (`rejectUnauthorized: false`): self-signed client certificates
 * (RFC 8705 §2.2) are judged per request, against the client's registration, not by a CA.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { CertificateAuthority } from './certificates.js';

export interface LoopbackServerTls {
  readonly authority: CertificateAuthority;
  /** Names besides 127.0.0.1 and localhost that the server's certificate names. */
  readonly hostnames?: readonly string[];
}

export function createLoopbackServer(listener: RequestListener, tls: LoopbackServerTls | undefined, keepAliveTimeout?: number): Server {
  const common = keepAliveTimeout === undefined ? {} : { keepAliveTimeout };
  if (tls === undefined) return createServer(common, listener);
  const { cert, key } = tls.authority.issue({ hostnames: ['127.0.0.1', 'localhost', ...(tls.hostnames ?? [])] });
  return createHttpsServer({ ...common, cert, key, ca: [tls.authority.cert], requestCert: true, rejectUnauthorized: false }, listener);
}
