/**
 * Certificate-bound access tokens (RFC 8705 §3): a token whose `cnf` names a certificate is good only from a
 * connection that presents that certificate.
 */
import type { IncomingMessage } from 'node:http';
import type { JWTPayload } from 'jose';
import { peerCertificateOf } from '../tls/peer-certificate.js';

/** Why the request may not use this token, or `undefined` when it may. */
export function certificateBindingProblem(req: IncomingMessage, payload: JWTPayload): string | undefined {
  const confirmation = (payload['cnf'] as Record<string, unknown> | undefined)?.['x5t#S256'];
  if (confirmation === undefined) return undefined;
  const peer = peerCertificateOf(req);
  if (peer === undefined) return 'the token is bound to a client certificate, and this connection presented none (RFC 8705 §3)';
  if (peer.thumbprint !== confirmation) return 'the token is bound to another client certificate than this connection presented (RFC 8705 §3)';
  return undefined;
}
