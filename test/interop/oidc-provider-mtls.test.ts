/**
 * Interop for RFC 8705 with a provider nobody here wrote: oidc-provider over https with `features.mTLS`
 * (tlsClientAuth, selfSignedTlsClientAuth, certificateBoundAccessTokens). Core discovers it, authenticates
 * with a CA-issued and with a self-signed certificate, gets tokens bound to them, and an https API accepts
 * such a token only from a connection that presents the same certificate.
 */
import { request } from 'undici';
import { closeIdleTokenConnections, createStamper, createTokenCache, type McaOptions } from '@mca-oauth/core';
import { McaAgent } from '@mca-oauth/undici';
import { certificateThumbprint, createCertificateAuthority, createSelfSignedCertificate, startProtectedApi, type ProtectedApi } from '@mca-oauth/dev-server';
import { RESOURCE, SCOPE, startOidcProvider, type RunningProvider } from './oidc-provider-process.js';

const authority = createCertificateAuthority('interop CA');
const TLS_CLIENT = { id: 'interop-tls-client-auth', subject: 'CN=interop-tls-client-auth' };
const tlsClientCertificate = authority.issue({ commonName: 'interop-tls-client-auth' });
const selfSigned = createSelfSignedCertificate('interop-self-signed', { hostnames: [] });
const SELF_SIGNED_ID = 'interop-self-signed-tls-client-auth';

let provider: RunningProvider;
let api: ProtectedApi;

beforeAll(async () => {
  provider = await startOidcProvider({
    ca: authority.cert,
    ...authority.issue({ hostnames: ['127.0.0.1', 'localhost'] }),
    tlsClient: TLS_CLIENT,
    selfSignedClient: { id: SELF_SIGNED_ID, cert: selfSigned.cert },
  });
  api = await startProtectedApi({ server: { jwks: provider.jwks as never, issuer: provider.issuer }, audience: RESOURCE, requiredScopes: [SCOPE], https: true });
});

afterAll(async () => {
  await api.close();
  await provider.close();
  closeIdleTokenConnections();
});

function claimsOf(authorization: string): Record<string, any> {
  return JSON.parse(Buffer.from(authorization.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

const options = (extra: Partial<McaOptions>): McaOptions => ({
  match: `${api.url}/api/`,
  issuer: provider.issuer,
  scope: SCOPE,
  resource: RESOURCE,
  cache: createTokenCache(),
  env: {},
  ...extra,
});

it('tls_client_auth: discovery, a CA-issued certificate, and a token bound to it (cnf.x5t#S256)', async () => {
  const stamper = createStamper(options({ clientId: TLS_CLIENT.id, clientAuth: 'tls_client_auth', tls: { ca: authority.cert, ...tlsClientCertificate } }));
  const authorization = (await stamper.authorizationFor(`${api.url}/api/echo`)) as string;
  expect(claimsOf(authorization).cnf).toEqual({ 'x5t#S256': certificateThumbprint(tlsClientCertificate.cert) });
  expect(claimsOf(authorization).client_id).toBe(TLS_CLIENT.id);
});

it('self_signed_tls_client_auth: the registered self-signed certificate', async () => {
  const stamper = createStamper(options({ clientId: SELF_SIGNED_ID, clientAuth: 'self_signed_tls_client_auth', tls: { ca: authority.cert, ...selfSigned } }));
  const authorization = (await stamper.authorizationFor(`${api.url}/api/echo`)) as string;
  expect(claimsOf(authorization).cnf).toEqual({ 'x5t#S256': certificateThumbprint(selfSigned.cert) });
});

it('a certificate the provider does not know is its invalid_client', async () => {
  const stranger = createSelfSignedCertificate('stranger', { hostnames: [] });
  const stamper = createStamper(options({ clientId: SELF_SIGNED_ID, clientAuth: 'self_signed_tls_client_auth', tls: { ca: authority.cert, ...stranger } }));
  await expect(stamper.authorizationFor(`${api.url}/api/echo`)).rejects.toMatchObject({ code: 'MCA_TOKEN_OAUTH_ERROR', oauthError: { error: 'invalid_client' } });
});

it('McaAgent with clientCertificate: the API accepts the bound token; without the certificate it refuses it', async () => {
  const mca = options({ clientId: TLS_CLIENT.id, clientAuth: 'tls_client_auth', tls: { ca: authority.cert } });
  const bound = new McaAgent({ mca, clientCertificate: tlsClientCertificate, connect: { ca: api.ca! } });
  const bare = new McaAgent({ mca: { ...mca, cache: createTokenCache(), tls: { ca: authority.cert, ...tlsClientCertificate } }, connect: { ca: api.ca! } });
  try {
    const accepted = await request(`${api.url}/api/echo`, { dispatcher: bound });
    await accepted.body.dump();
    expect(accepted.statusCode).toBe(200);
    const refused = await request(`${api.url}/api/echo`, { dispatcher: bare });
    await refused.body.dump();
    expect(refused.statusCode).toBe(401);
  } finally {
    await Promise.all([bound.close(), bare.close()]);
  }
});
