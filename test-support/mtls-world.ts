/**
 * Certificate-bound tokens end to end (RFC 8705): an https dev server that authenticates a client by its
 * certificate and binds its tokens to it, and an https protected API that accepts such a token only from a
 * connection that presents the same certificate. Each adapter's test shows how the app presents it.
 */
import { closeIdleTokenConnections, createTokenCache, type McaOptions } from '@mca-oauth/core';
import { startDevServer, startProtectedApi, type CertificateAndKey, type DevServer, type ProtectedApi } from '@mca-oauth/dev-server';

export const BOUND_CLIENT_ID = 'bound-client';

export interface MtlsWorld {
  readonly auth: DevServer;
  readonly api: ProtectedApi;
  /** The client's certificate and key, issued by the dev server's CA for BOUND_CLIENT_ID. */
  readonly client: CertificateAndKey;
  /** The CA that issued the servers' certificates: the app trusts it. */
  readonly ca: string;
  /** Core options: `tls_client_auth` with `client`, matching `${api.url}/api/`. */
  options(extra?: Partial<McaOptions>): McaOptions;
  close(): Promise<void>;
}

export async function startMtlsWorld(): Promise<MtlsWorld> {
  const auth = await startDevServer({ https: true, clients: [{ id: BOUND_CLIENT_ID, tlsClientAuthSubject: BOUND_CLIENT_ID }] });
  const api = await startProtectedApi({ server: auth, https: true });
  const client = auth.issueClientCertificate!(BOUND_CLIENT_ID);
  return {
    auth,
    api,
    client,
    ca: auth.ca!,
    options: (extra = {}) => ({
      match: `${api.url}/api/`,
      tokenEndpoint: auth.mtlsTokenEndpoint!,
      clientId: BOUND_CLIENT_ID,
      clientAuth: 'tls_client_auth',
      tls: { ca: auth.ca!, cert: client.cert, key: client.key },
      cache: createTokenCache(),
      env: {},
      ...extra,
    }),
    async close() {
      closeIdleTokenConnections();
      await Promise.all([api.close(), auth.close()]);
    },
  };
}
