/**
 * Token exchange (RFC 8693) against oidc-provider, which nobody here wrote, with the grant registered through
 * its `registerGrantType` API (see oidc-provider-server.mjs): core sends the exchange with client_secret_basic,
 * oidc-provider authenticates the client itself, and the protected API verifies the user's token against the
 * provider's JWKS. Two users through the undici adapter each get their own token, one exchange each.
 */
import { Agent, request } from 'undici';
import { createStamper, closeIdleTokenConnections, onBehalfOf } from '@mca-oauth/core';
import { mcaInterceptor } from '@mca-oauth/undici';
import { startProtectedApi, type ProtectedApi } from '@mca-oauth/dev-server';
import { BASIC_CLIENT, RESOURCE, SCOPE, startOidcProvider, type RunningProvider } from './oidc-provider-process.js';

let provider: RunningProvider;
let api: ProtectedApi;

beforeAll(async () => {
  provider = await startOidcProvider();
  api = await startProtectedApi({ jwksUri: provider.jwksUri, issuer: provider.issuer, audience: RESOURCE, requiredScopes: [SCOPE] });
});

afterAll(async () => {
  await api.close();
  await provider.close();
  closeIdleTokenConnections();
});

const options = () => ({
  routes: [{ match: `${api.url}/api`, exchange: {} }],
  issuer: provider.issuer,
  scope: SCOPE,
  resource: RESOURCE,
  clientId: BASIC_CLIENT.id,
  secret: BASIC_CLIENT.secret,
  cacheSize: 5,
  env: {},
});

it('exchanges a user’s token for one the protected API accepts, for that user, acted by the client', async () => {
  const stamper = createStamper(options());
  const authorization = await onBehalfOf(await provider.userToken('interop-alice'), () => stamper.authorizationFor(`${api.url}/api/echo`));
  const verified = await api.verifier.verify(authorization);
  expect(verified.ok).toBe(true);
  expect(verified.ok && verified.payload).toMatchObject({ sub: 'interop-alice', aud: RESOURCE, act: { sub: BASIC_CLIENT.id } });
});

it('stamps through the undici adapter: two users, their own tokens, one exchange each', async () => {
  const agent = new Agent().compose(mcaInterceptor(options()));
  try {
    const subjects = { 'interop-bob': await provider.userToken('interop-bob'), 'interop-carol': await provider.userToken('interop-carol') };
    const seen = await Promise.all(
      Object.entries(subjects).flatMap(([user, subject]) =>
        Array.from({ length: 4 }, () =>
          onBehalfOf(subject, async () => {
            const response = await request(`${api.url}/api/echo`, { dispatcher: agent });
            const body = (await response.body.json()) as { claims?: { sub?: string } };
            return [user, response.statusCode, body.claims?.sub] as const;
          }),
        ),
      ),
    );
    for (const [user, status, sub] of seen) expect([status, sub]).toEqual([200, user]);
  } finally {
    await agent.close();
  }
  expect([await provider.exchanged('interop-bob'), await provider.exchanged('interop-carol')]).toEqual([1, 1]);
});

it('reports a subject the provider refuses as its invalid_grant', async () => {
  const stamper = createStamper(options());
  const forged = `${(await provider.userToken('interop-mallory')).slice(0, -4)}AAAA`;
  await expect(onBehalfOf(forged, () => stamper.authorizationFor(`${api.url}/api/echo`))).rejects.toMatchObject({
    code: 'MCA_TOKEN_OAUTH_ERROR',
    oauthError: { error: 'invalid_grant' },
  });
});
