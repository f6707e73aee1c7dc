/** Token exchange (RFC 8693) on /oauth2/token: what it accepts as a subject, what it mints, its switches and counters. */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { ACCESS_TOKEN_TYPE, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, TOKEN_EXCHANGE_GRANT_TYPE, startDevServer, type DevServer } from '../src/index.js';
import { makeProof, makeProofKey } from '../../../test-support/dpop-proof.js';
import { claimsOf, get, postForm, rawBasic, send } from './helpers.js';

const MIDDLE_TIER = 'urn:test:middle-tier';
const basic = rawBasic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({ signingAlg: 'ES256', exchangeSubjectAudiences: [MIDDLE_TIER] });
});
afterAll(() => server.close());
beforeEach(() => server.exchange.reset());

const userToken = (sub: string, claims: Record<string, unknown> = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return server.signToken({ iss: server.issuer, sub, aud: MIDDLE_TIER, iat: now, exp: now + 600, ...claims });
};

const exchange = (subject: string, extra: Record<string, string | string[]> = {}, headers: Record<string, string> = { authorization: basic }) =>
  postForm(server.tokenEndpoint, { grant_type: TOKEN_EXCHANGE_GRANT_TYPE, subject_token: subject, subject_token_type: ACCESS_TOKEN_TYPE, ...extra }, headers);

it('mints a token for the subject’s sub, acted by the client, for the requested audience and scope', async () => {
  const answer = await exchange(await userToken('alice'), { audience: 'ledger', scope: 'read' });
  expect(answer.status).toBe(200);
  expect(answer.json).toMatchObject({ issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer', expires_in: server.tokenTtl, scope: 'read' });
  expect(claimsOf(answer.json.access_token)).toMatchObject({ iss: server.issuer, sub: 'alice', aud: 'ledger', act: { sub: DEFAULT_CLIENT_ID }, scope: 'read' });
  expect(server.exchange.exchangesFor('alice')).toBe(1);
});

it.each<[string, () => Promise<string>]>([
  ['signed by another key', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: server.issuer, sub: 'eve', aud: MIDDLE_TIER, exp: now + 600 }).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
  }],
  ['expired', () => userToken('eve', { exp: Math.floor(Date.now() / 1000) - 60 })],
  ['for an audience not allowed to exchange', () => userToken('eve', { aud: 'urn:test:someone-else' })],
  ['not a JWT', async () => 'opaque-token-value'],
])('refuses a subject token %s: 400 invalid_grant, nothing counted', async (_label, make) => {
  const answer = await exchange(await make());
  expect([answer.status, answer.json.error]).toEqual([400, 'invalid_grant']);
  expect(answer.text).not.toContain('opaque-token-value');
  expect(server.exchange.counts()).toEqual({});
});

it.each<[string, string, Record<string, string>]>([
  ['without subject_token_type', 'invalid_request', { subject_token_type: '' }],
  ['with an unknown subject_token_type', 'invalid_request', { subject_token_type: 'urn:x' }],
  ['asking for a refresh token', 'invalid_request', { requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }],
])('a request %s: 400 %s', async (_label, error, extra) => {
  const answer = await exchange(await userToken('alice'), extra);
  expect([answer.status, answer.json.error]).toEqual([400, error]);
});

it('binds the exchanged token to the DPoP proof key: token_type DPoP and cnf.jkt (RFC 9449 §5)', async () => {
  const key = makeProofKey();
  const proof = makeProof(key, { htm: 'POST', htu: server.tokenEndpoint });
  const answer = await exchange(await userToken('alice'), { audience: 'ledger' }, { authorization: basic, dpop: proof });
  expect(answer.status).toBe(200);
  expect(answer.json).toMatchObject({ issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'DPoP' });
  expect(claimsOf(answer.json.access_token)).toMatchObject({ sub: 'alice', aud: 'ledger', act: { sub: DEFAULT_CLIENT_ID }, cnf: { jkt: key.jkt } });
});

it('refuses an exchange whose DPoP proof is for another URL: 400 invalid_dpop_proof, no exchange counted', async () => {
  const proof = makeProof(makeProofKey(), { htm: 'POST', htu: `${server.issuer}/elsewhere` });
  const answer = await exchange(await userToken('alice'), {}, { authorization: basic, dpop: proof });
  expect([answer.status, answer.json.error]).toEqual([400, 'invalid_dpop_proof']);
  expect(server.exchange.counts()).toEqual({});
});

it('authenticates the client as for client credentials', async () => {
  const answer = await exchange(await userToken('alice'), {}, { authorization: rawBasic(DEFAULT_CLIENT_ID, 'wrong') });
  expect([answer.status, answer.json.error]).toEqual([401, 'invalid_client']);
});

it('the MCA endpoint has no token exchange: unsupported_grant_type', async () => {
  const answer = await postForm(server.mcaTokenEndpoint('t'), { grant_type: TOKEN_EXCHANGE_GRANT_TYPE, subject_token: await userToken('alice') }, { authorization: basic });
  expect([answer.status, answer.json.error]).toEqual([400, 'unsupported_grant_type']);
});

it('refuse(sub) answers invalid_grant for that subject only, and counts it', async () => {
  server.exchange.refuse('mallory');
  const refused = await exchange(await userToken('mallory'));
  const served = await exchange(await userToken('alice'));
  expect([refused.status, refused.json.error, served.status]).toEqual([400, 'invalid_grant', 200]);
  expect(server.exchange.counts()).toEqual({ mallory: 1, alice: 1 });
  server.exchange.allow('mallory');
  expect((await exchange(await userToken('mallory'))).status).toBe(200);
});

it('latencyMs slows every exchange', async () => {
  server.exchange.latencyMs = 150;
  const started = performance.now();
  expect((await exchange(await userToken('alice'))).status).toBe(200);
  expect(performance.now() - started).toBeGreaterThanOrEqual(140);
});

it('over HTTP: /__admin/user-tokens mints subjects it accepts, /__admin/exchanges counts them', async () => {
  const { json } = await get(`${server.url}/__admin/user-tokens?count=3&prefix=bench&ttl=60`);
  expect(json.tokens).toHaveLength(3);
  expect(claimsOf(json.tokens[2])).toMatchObject({ sub: 'bench-2', aud: MIDDLE_TIER });
  for (const token of json.tokens as string[]) expect((await exchange(token)).status).toBe(200);
  expect((await get(`${server.url}/__admin/exchanges`)).json).toEqual({ 'bench-0': 1, 'bench-1': 1, 'bench-2': 1 });
  expect((await send(`${server.url}/__admin/exchanges`, { method: 'DELETE' })).status).toBe(204);
  expect(claimsOf((await get(`${server.url}/__admin/user-tokens?count=1&from=20000&prefix=p`)).json.tokens[0]).sub).toBe('p-20000');
  expect((await get(`${server.url}/__admin/user-tokens?count=0`)).status).toBe(400);
});
