/**
 * DPoP (RFC 9449) interop with oidc-provider, a provider nobody here wrote, with `features.dPoP`, `nonceSecret` and
 * `requireNonce`: the token endpoint asks for a nonce, and binds the token to the proof's key. First with a small
 * proof maker of the tests' own (node:crypto), then through core's public path (`createStamper` with `dpop`), every
 * proof checked by jose, an implementation independent of core's signer: the ones oidc-provider received, and the
 * ones a protected API (the dev server's verifier, jose inside) received.
 */
import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, decodeJwt, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
import { Agent, request } from 'undici';
import { closeIdleTokenConnections, createStamper, type RequestStamp, type RetryRecord } from '@mca-oauth/core';
import { mcaInterceptor } from '@mca-oauth/undici';
import { startProtectedApi, type ProtectedApi } from '@mca-oauth/dev-server';
import { makeProof, makeProofKey } from '../../test-support/dpop-proof.js';
import { BASIC_CLIENT, RESOURCE, SCOPE, startOidcProvider, type RunningProvider, type TokenExchange } from './oidc-provider-process.js';

let provider: RunningProvider;
let api: ProtectedApi;
let tokenEndpoint: string;

beforeAll(async () => {
  provider = await startOidcProvider(undefined, { requireDpopNonce: true });
  tokenEndpoint = ((await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string }).token_endpoint;
  api = await startProtectedApi({ jwksUri: provider.jwksUri, issuer: provider.issuer, audience: RESOURCE, requiredScopes: [SCOPE], dpop: { requireNonce: true } });
});

afterAll(async () => {
  await api.close();
  await provider.close();
  closeIdleTokenConnections();
});

/** Verifies a proof with jose (signature by its own `jwk`, `typ`) and returns its claims and key thumbprint. */
async function verifiedProof(proof: string): Promise<{ claims: Record<string, unknown>; jkt: string }> {
  const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
  return { claims: payload, jkt: await calculateJwkThumbprint(protectedHeader.jwk as JWK, 'sha256') };
}

/** The token requests made since `from`: each proof verified, the nonce round trip and the answer. */
async function exchangesSince(from: number): Promise<TokenExchange[]> {
  return (await provider.tokenExchanges()).slice(from);
}

const basicAuthorization = `Basic ${Buffer.from(`${BASIC_CLIENT.id}:${BASIC_CLIENT.secret}`).toString('base64')}`;

it('gets a DPoP-bound token with proofs from a small proof maker, after oidc-provider asks for a nonce', async () => {
  const key = makeProofKey('ES256');
  const form = new URLSearchParams({ grant_type: 'client_credentials', scope: SCOPE, resource: RESOURCE }).toString();
  const post = (proof: string) =>
    fetch(tokenEndpoint, { method: 'POST', headers: { authorization: basicAuthorization, 'content-type': 'application/x-www-form-urlencoded', dpop: proof }, body: form });

  const first = await post(makeProof(key, { htm: 'POST', htu: tokenEndpoint }));
  expect(first.status).toBe(400);
  expect(((await first.json()) as { error: string }).error).toBe('use_dpop_nonce');
  const nonce = first.headers.get('dpop-nonce');
  expect(nonce).toEqual(expect.any(String));

  const second = await post(makeProof(key, { htm: 'POST', htu: tokenEndpoint, nonce: nonce! }));
  expect(second.status).toBe(200);
  const body = (await second.json()) as { access_token: string; token_type: string };
  expect(body.token_type).toBe('DPoP');
  expect(decodeJwt(body.access_token).cnf).toEqual({ jkt: key.jkt });
});

it('core gets a DPoP token from oidc-provider with dpop: true, round-tripping its nonce, bound to the key of its proofs', async () => {
  const from = (await provider.tokenExchanges()).length;
  const stamper = createStamper({ issuer: provider.issuer, scope: SCOPE, resource: RESOURCE, cacheSize: 5, env: {}, match: `${api.url}/api`, clientId: BASIC_CLIENT.id, secret: BASIC_CLIENT.secret, dpop: true });
  const stamp = await stamper.stampFor('GET', `${api.url}/api/echo`);
  expect(stamp!.authorization).toMatch(/^DPoP [\w-]+\.[\w-]+\.[\w-]+$/);

  const [asked, granted, ...more] = await exchangesSince(from);
  expect(more).toEqual([]);
  // RFC 9449 §8: the first proof had no nonce; the provider answered 400 use_dpop_nonce with one.
  expect(asked!.status).toBe(400);
  expect(asked!.body).toMatchObject({ error: 'use_dpop_nonce' });
  const firstProof = await verifiedProof(asked!.proof!);
  expect(firstProof.claims).toMatchObject({ htm: 'POST', htu: tokenEndpoint });
  expect(firstProof.claims.nonce).toBeUndefined();
  // The retry carried exactly that nonce, a new jti, and the same key.
  expect(granted!.status).toBe(200);
  const secondProof = await verifiedProof(granted!.proof!);
  expect(secondProof.claims).toMatchObject({ htm: 'POST', htu: tokenEndpoint, nonce: asked!.dpopNonce });
  expect(secondProof.claims.jti).not.toBe(firstProof.claims.jti);
  expect(secondProof.jkt).toBe(firstProof.jkt);
  // RFC 9449 §5, §6.1: a DPoP token, bound to the thumbprint of the proofs' key.
  expect(granted!.body).toMatchObject({ token_type: 'DPoP' });
  const token = stamp!.authorization.slice('DPoP '.length);
  expect(granted!.body!.access_token).toBe(token);
  expect(decodeJwt(token).cnf).toEqual({ jkt: secondProof.jkt });
});

it('core signs with a given key: cnf.jkt is that key thumbprint, and the protected API nonce round trip succeeds', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const expectedJkt = await calculateJwkThumbprint(publicKey.export({ format: 'jwk' }) as JWK, 'sha256');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const stamper = createStamper({ issuer: provider.issuer, scope: SCOPE, resource: RESOURCE, cacheSize: 5, env: {}, match: `${api.url}/api`, clientId: BASIC_CLIENT.id, secret: BASIC_CLIENT.secret, dpop: { privateKey: pem } });
  const url = `${api.url}/api/echo?page=1`;
  api.stats.reset();

  const send = (stamp: RequestStamp) => fetch(url, { headers: { authorization: stamp.authorization, dpop: stamp.dpop! } });
  const record: RetryRecord = { retriesDone: 0 };
  const stamp = await stamper.stampFor('GET', url);
  expect(decodeJwt(stamp!.authorization.slice('DPoP '.length)).cnf).toEqual({ jkt: expectedJkt });

  // RFC 9449 §9: the API wants its own nonce; core keeps the token and asks for a retry with a new proof.
  const refused = await send(stamp!);
  expect(refused.status).toBe(401);
  expect(refused.headers.get('www-authenticate')).toMatch(/^DPoP .*error="use_dpop_nonce"/);
  await refused.arrayBuffer();
  expect(stamper.judgeResponse(stamp!, url, refused.status, refused.headers, record, true)).toBe('retry-with-nonce');

  const retry = await stamper.stampFor('GET', url);
  expect(retry!.authorization).toBe(stamp!.authorization);
  const retryProof = await verifiedProof(retry!.dpop!);
  expect(retryProof.jkt).toBe(expectedJkt);
  expect(retryProof.claims).toMatchObject({ htm: 'GET', htu: `${api.url}/api/echo`, nonce: api.dpop.nonce });
  const accepted = await send(retry!);
  expect(accepted.status).toBe(200);
  expect(((await accepted.json()) as { claims: { cnf: unknown } }).claims.cnf).toEqual({ jkt: expectedJkt });
  expect(stamper.judgeResponse(retry!, url, accepted.status, accepted.headers, record, true)).toBe('deliver');
  expect(api.stats.dpop.snapshot()).toEqual({ accepted: 1, rejected: 1, rejections: { nonce: 1 } });
});

it('the undici adapter with dpop: true gets its token from oidc-provider and answers both nonce challenges by itself', async () => {
  const from = (await provider.tokenExchanges()).length;
  const agent = new Agent().compose(
    mcaInterceptor({ issuer: provider.issuer, scope: SCOPE, resource: RESOURCE, cacheSize: 5, env: {}, match: `${api.url}/api`, clientId: BASIC_CLIENT.id, secret: BASIC_CLIENT.secret, dpop: true }),
  );
  api.stats.reset();
  api.dpop.rotateNonce();
  try {
    for (let i = 0; i < 3; i += 1) {
      const response = await request(`${api.url}/api/echo?i=${i}`, { dispatcher: agent, method: 'POST', body: `{"i":${i}}` });
      expect(response.statusCode).toBe(200);
      const echoed = (await response.body.json()) as { body: string; headers: Record<string, string> };
      expect(echoed.body).toBe(`{"i":${i}}`);
      const proof = await verifiedProof(echoed.headers['dpop']!);
      expect(proof.claims).toMatchObject({ htm: 'POST', htu: `${api.url}/api/echo`, nonce: api.dpop.nonce });
    }
  } finally {
    await agent.close();
  }
  // One token, after one nonce round trip with oidc-provider; one nonce round trip with the API, then none.
  expect((await exchangesSince(from)).map((e) => e.status)).toEqual([400, 200]);
  expect(api.stats.dpop.snapshot()).toEqual({ accepted: 3, rejected: 1, rejections: { nonce: 1 } });
});
