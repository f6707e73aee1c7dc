/** The client certificate a request's TLS connection presented, if any. */
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { certificateThumbprint } from './certificates.js';

export interface PeerCertificate {
  readonly certificate: X509Certificate;
  /** `x5t#S256` of the certificate (RFC 8705 §3.1). */
  readonly thumbprint: string;
  /** True when it chains to the server's CA (what `tls_client_auth` needs, RFC 8705 §2.1). */
  readonly issuedByServerCa: boolean;
}

export function peerCertificateOf(req: IncomingMessage): PeerCertificate | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const raw = socket.getPeerCertificate().raw;
  if (raw === undefined) return undefined;
  const certificate = new X509Certificate(raw);
  return { certificate, thumbprint: certificateThumbprint(certificate), issuedByServerCa: socket.authorized === true };
}
