/**
 * Token exchange (RFC 8693) against oidc-provider, which nobody here wrote, with the grant registered through
 * its `registerGrantType` API (see oidc-provider-server.mjs): core sends the exchange with client_secret_basic,
 * oidc-provider authenticates the client itself, and the protected API verifies the user's token against the
 * provider's JWKS. Two users through the undici adapter each get their own token, one exchange each.
 */
import { Agent, request } from 'undici';
import { createStamper, onBehalfOf } from '@mca-oauth/core';
import { mcaInterceptor } from '@mca-oauth/undici';
import { BASIC_CLIENT, RESOURCE, SCOPE, useOidcProviderAndApi } from './oidc-provider-process.js';

const interop = useOidcProviderAndApi();

const options = () => ({
  routes: [{ match: `${interop.api.url}/api`, exchange: {} }],
  issuer: interop.provider.issuer,
  scope: SCOPE,
  resource: RESOURCE,
  clientId: BASIC_CLIENT.id,
  secret: BASIC_CLIENT.secret,
  cacheSize: 5,
  env: {},
});

it('exchanges a user’s token for one the protected API accepts, for that user, acted by the client', async () => {
  const stamper = createStamper(options());
  const authorization = await onBehalfOf(await interop.provider.userToken('interop-alice'), () => stamper.authorizationFor(`${interop.api.url}/api/echo`));
  const verified = await interop.api.verifier.verify(authorization);
  expect(verified.ok).toBe(true);
  expect(verified.ok && verified.payload).toMatchObject({ sub: 'interop-alice', aud: RESOURCE, act: { sub: BASIC_CLIENT.id } });
});

it('stamps through the undici adapter: two users, their own tokens, one exchange each', async () => {
  const agent = new Agent().compose(mcaInterceptor(options()));
  try {
    const subjects = { 'interop-bob': await interop.provider.userToken('interop-bob'), 'interop-carol': await interop.provider.userToken('interop-carol') };
    const seen = await Promise.all(
      Object.entries(subjects).flatMap(([user, subject]) =>
        Array.from({ length: 4 }, () =>
          onBehalfOf(subject, async () => {
            const response = await request(`${interop.api.url}/api/echo`, { dispatcher: agent });
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
  expect([await interop.provider.exchanged('interop-bob'), await interop.provider.exchanged('interop-carol')]).toEqual([1, 1]);
});

it('reports a subject the provider refuses as its invalid_grant', async () => {
  const stamper = createStamper(options());
  const forged = `${(await interop.provider.userToken('interop-mallory')).slice(0, -4)}AAAA`;
  await expect(onBehalfOf(forged, () => stamper.authorizationFor(`${interop.api.url}/api/echo`))).rejects.toMatchObject({
    code: 'MCA_TOKEN_OAUTH_ERROR',
    oauthError: { error: 'invalid_grant' },
  });
});
