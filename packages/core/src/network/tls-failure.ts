/** Turns a TLS failure's code into words a user can act on: what went wrong, and the fix. */

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

/** The explanation to append to "… failed: CODE", or `''` when the error is not about TLS. */
export function explainTlsFailure(code: string | undefined): string {
  if (code === undefined) return '';
  if (UNTRUSTED.has(code)) {
    return " (the server's certificate is not issued by a CA this process trusts: set tls.ca, or MCA_CA_FILE, to the PEM of the CA that issued it)";
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return " (the server's certificate is outside its validity period: renew it on the server, or check this machine's clock)";
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return " (the server's certificate does not name this host: use a host name it names, or set tls.servername to one)";
  }
  if (/CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE|UNKNOWN_CA/.test(code)) {
    return ' (the server refused the TLS handshake: if it requires a client certificate, set tls.cert and tls.key, or tls.pfx, to one it accepts)';
  }
  return '';
}
