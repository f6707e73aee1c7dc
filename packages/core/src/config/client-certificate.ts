/**
 * The client certificate's part of a token's identity (RFC 8705 §3): a token bound to one certificate is
 * useless from a connection that presents another, so a changed certificate is a different cache key.
 */
import { createHash } from 'node:crypto';
import type { ResolvedTls } from '../network/tls-settings.js';

/** A digest of the certificate (or of the PKCS#12 bundle holding it), or null when none is presented. */
export function clientCertificateKeyPart(tls: ResolvedTls): string | null {
  if (!tls.hasClientCertificate) return null;
  const hash = createHash('sha256');
  const material = tls.pfx !== undefined ? [tls.pfx.reveal()] : [tls.cert ?? []].flat();
  for (const part of material) hash.update(part);
  return hash.digest('base64url');
}
