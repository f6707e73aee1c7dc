/** RFC 9449 §5 and §8 at the token endpoint, with nock: the proof, token_type DPoP, and the nonce retry. */
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import nock from 'nock';
import { decodeJwt } from 'jose';
import { resolveTokenConfig } from '../../src/config/resolve.js';
import type { TokenOptions } from '../../src/config/options.js';
import { McaErrorCodes, type McaError } from '../../src/errors/index.js';
import { ClientCredentialsProvider } from '../../src/providers/client-credentials.js';
import { useNock } from '../support/use-nock.js';
import { verifyProof } from './proof-checks.js';

const AUTH = 'https://auth.example.com';
const SECRET = 'dpop-Secret-never-shown';

const options = (extra: TokenOptions = {}): TokenOptions => ({
  tokenEndpoint: `${AUTH}/oauth2/token?tenant=1`,
  clientId: 'client-1',
  secret: SECRET,
  dpop: true,
  ...extra,
});

function provider(extra?: TokenOptions): ClientCredentialsProvider {
  return new ClientCredentialsProvider(resolveTokenConfig(options(extra)));
}

async function failure(promise: Promise<unknown>): Promise<McaError> {
  try {
    await promise;
  } catch (error) {
    return error as McaError;
  }
  throw new Error('expected the token request to fail');
}

/** A nock header matcher that keeps every value it sees (nock 14 and 15 alike). */
function capture(into: string[]): (value: string) => boolean {
  return (value) => {
    into.push(value);
    return true;
  };
}

useNock();

it('sends a proof for POST and the token endpoint without its query, and no ath', async () => {
  const proofs: string[] = [];
  nock(AUTH, { reqheaders: { dpop: capture(proofs) } })
    .post('/oauth2/token')
    .query({ tenant: '1' })
    .reply(200, { access_token: 'bound-token', token_type: 'DPoP', expires_in: 300 });
  const config = resolveTokenConfig(options());
  const token = await new ClientCredentialsProvider(config).fetchToken();
  expect(token.accessToken).toBe('bound-token');
  const { payload, thumbprint } = await verifyProof(proofs[0]!);
  expect(payload).toMatchObject({ htm: 'POST', htu: `${AUTH}/oauth2/token` });
  expect(payload).not.toHaveProperty('ath');
  expect(payload).not.toHaveProperty('nonce');
  expect(thumbprint).toBe(config.dpop?.thumbprint);
});

it.each(['DPoP', 'dpop', 'DPOP'])('accepts token_type %s (the type is case-insensitive)', async (tokenType) => {
  nock(AUTH).post('/oauth2/token').query(true).reply(200, { access_token: 'bound', token_type: tokenType, expires_in: 300 });
  await expect(provider().fetchToken()).resolves.toMatchObject({ expiresAt: expect.any(Number) });
});

it.each([['Bearer'], ['bearer'], [undefined], ['N_A']])('refuses a %s answer with MCA_DPOP_UNBOUND_TOKEN: the token is not used', async (tokenType) => {
  nock(AUTH).post('/oauth2/token').query(true).reply(200, { access_token: 'unbound-token', token_type: tokenType, expires_in: 300 });
  const error = await failure(provider().fetchToken());
  expect(error.code).toBe(McaErrorCodes.DPOP_UNBOUND_TOKEN);
  expect(error.message).not.toContain('unbound-token');
});

it('answers 400 use_dpop_nonce by sending once more with the nonce, a new jti and a new client assertion', async () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const proofs: string[] = [];
  const assertions: string[] = [];
  const assertion = (body: Record<string, string>): boolean => {
    assertions.push(body['client_assertion'] ?? '');
    return true;
  };
  nock(AUTH, { reqheaders: { dpop: capture(proofs) } })
    .post('/oauth2/token', assertion)
    .query(true)
    .reply(400, { error: 'use_dpop_nonce', error_description: 'nonce required' }, { 'DPoP-Nonce': 'server-nonce-1' })
    .post('/oauth2/token', assertion)
    .query(true)
    .reply(200, { access_token: 'bound', token_type: 'DPoP', expires_in: 300 });
  const { secret: _none, ...withoutSecret } = options();
  await new ClientCredentialsProvider(resolveTokenConfig({ ...withoutSecret, privateKey, clientAuth: 'private_key_jwt' })).fetchToken();
  const [first, second] = await Promise.all(proofs.map((proof) => verifyProof(proof)));
  expect(first!.payload).not.toHaveProperty('nonce');
  expect(second!.payload.nonce).toBe('server-nonce-1');
  expect(second!.payload.jti).not.toBe(first!.payload.jti);
  expect(assertions[0]).not.toBe('');
  expect(decodeJwt(assertions[1]!).jti).not.toBe(decodeJwt(assertions[0]!).jti);
});

it('retries the nonce only once: a second use_dpop_nonce is the OAuth error', async () => {
  const answer = [400, { error: 'use_dpop_nonce' }, { 'DPoP-Nonce': 'n-2' }] as const;
  const scope = nock(AUTH).post('/oauth2/token').query(true).times(2).reply(...answer);
  const error = await failure(provider().fetchToken());
  expect(error.code).toBe(McaErrorCodes.TOKEN_OAUTH_ERROR);
  expect(error.oauthError?.error).toBe('use_dpop_nonce');
  scope.done();
});

it('does not retry a use_dpop_nonce without a DPoP-Nonce header', async () => {
  const scope = nock(AUTH).post('/oauth2/token').query(true).once().reply(400, { error: 'use_dpop_nonce' });
  expect((await failure(provider().fetchToken())).code).toBe(McaErrorCodes.TOKEN_OAUTH_ERROR);
  scope.done();
});

it('keeps a nonce the endpoint hands out on success for the next token request', async () => {
  const proofs: string[] = [];
  nock(AUTH, { reqheaders: { dpop: capture(proofs) } })
    .post('/oauth2/token')
    .query(true)
    .times(2)
    .reply(200, { access_token: 'bound', token_type: 'DPoP', expires_in: 300 }, { 'DPoP-Nonce': 'fresh' });
  const dpopProvider = provider();
  await dpopProvider.fetchToken();
  await dpopProvider.fetchToken();
  expect((await verifyProof(proofs[1]!)).payload.nonce).toBe('fresh');
});

it('never shows the DPoP private key in inspect or JSON of the configuration', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const jwk = privateKey.export({ format: 'jwk' });
  const config = resolveTokenConfig(options({ dpop: { privateKey: pem } }));
  for (const text of [inspect(config, { depth: 10, showHidden: true }), JSON.stringify(config)]) {
    expect(text).not.toContain(pem.split('\n')[1]!);
    expect(text).not.toContain(jwk.d!);
  }
  expect(config.dpop?.key.alg).toBe('ES384');
});
