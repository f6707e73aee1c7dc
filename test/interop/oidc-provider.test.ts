/**
 * Interop with a provider nobody here wrote: core discovers oidc-provider, gets client-credentials tokens
 * with client_secret_basic and with private_key_jwt for a resource (RFC 8707), and an adapter stamps them on
 * requests that a protected API verifies against the provider's own JWKS.
 */
import { Agent, request } from 'undici';
import { createStamper } from '@mca-oauth/core';
import { mcaInterceptor } from '@mca-oauth/undici';
import { BASIC_CLIENT, JWT_CLIENT_ID, RESOURCE, SCOPE, useOidcProviderAndApi } from './oidc-provider-process.js';

const interop = useOidcProviderAndApi();

const common = () => ({ issuer: interop.provider.issuer, scope: SCOPE, resource: RESOURCE, cacheSize: 5, env: {} });

it('discovers the token endpoint and gets a JWT access token with client_secret_basic', async () => {
  const stamper = createStamper({ ...common(), match: `${interop.api.url}/api`, clientId: BASIC_CLIENT.id, secret: BASIC_CLIENT.secret });
  const authorization = await stamper.authorizationFor(`${interop.api.url}/api/echo`);
  expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  const verified = await interop.api.verifier.verify(authorization);
  expect(verified.ok).toBe(true);
  expect(verified.ok && verified.payload.aud).toBe(RESOURCE);
  expect(verified.ok && verified.payload.client_id).toBe(BASIC_CLIENT.id);
});

it('gets a token with private_key_jwt (RFC 7523) signed by the client key', async () => {
  const stamper = createStamper({ ...common(), match: `${interop.api.url}/api`, clientId: JWT_CLIENT_ID, privateKey: interop.provider.clientKeyPem });
  const authorization = await stamper.authorizationFor(`${interop.api.url}/api/echo`);
  const verified = await interop.api.verifier.verify(authorization);
  expect(verified.ok && verified.payload.client_id).toBe(JWT_CLIENT_ID);
});

it('stamps through the undici adapter: the protected API accepts the provider token, once per token', async () => {
  const before = await interop.provider.issued(BASIC_CLIENT.id);
  const agent = new Agent().compose(mcaInterceptor({ ...common(), match: `${interop.api.url}/api`, clientId: BASIC_CLIENT.id, secret: BASIC_CLIENT.secret }));
  try {
    for (let i = 0; i < 5; i += 1) {
      const response = await request(`${interop.api.url}/api/echo`, { dispatcher: agent });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
    }
  } finally {
    await agent.close();
  }
  expect((await interop.provider.issued(BASIC_CLIENT.id)) - before).toBe(1);
  expect(interop.api.stats.accepted).toBeGreaterThanOrEqual(5);
});

it('reports a wrong secret as the OAuth error oidc-provider sends (invalid_client)', async () => {
  const stamper = createStamper({ ...common(), match: `${interop.api.url}/api`, clientId: BASIC_CLIENT.id, secret: 'wrong-secret' });
  await expect(stamper.authorizationFor(`${interop.api.url}/api/echo`)).rejects.toMatchObject({
    code: 'MCA_TOKEN_OAUTH_ERROR',
    oauthError: { error: 'invalid_client' },
  });
});
