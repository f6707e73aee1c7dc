import { createServer, type Server } from 'node:http';
import {
  createTokenVerifier,
  DEFAULT_AUDIENCE,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startDevServer,
  startProtectedApi,
  withBearerAuth,
  type DevServer,
  type ProtectedApi,
} from '../src/index.js';
import { makeProof, makeProofKey, type ProofKey } from '../../../test-support/dpop-proof.js';
import { CLIENT_CREDENTIALS, get, postForm, rawBasic, send } from './helpers.js';

const basic = rawBasic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);

describe('protected API with DPoP (RFC 9449 §7, §9)', () => {
  let server: DevServer;
  let api: ProtectedApi;
  let key: ProofKey;
  let token: string;
  let bearer: string;
  let echo: string;

  beforeAll(async () => {
    server = await startDevServer({ signingAlg: 'ES256' });
    api = await startProtectedApi({ server });
    key = makeProofKey();
    const answer = await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, scope: 'read' }, { authorization: basic, dpop: makeProof(key, { htm: 'POST', htu: server.tokenEndpoint }) });
    token = answer.json.access_token;
    bearer = (await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: basic })).json.access_token;
    echo = `${api.url}/api/echo`;
  });
  beforeEach(() => {
    api.stats.reset();
    api.dpop.requireNonce = false;
  });
  afterAll(() => Promise.all([server.close(), api.close()]));

  const call = (headers: Record<string, string>, url = `${echo}?page=2`, method = 'GET') => send(url, { method, headers });

  it('accepts-a-dpop-token-with-a-proof-for-this-request', async () => {
    const answer = await call({ authorization: `DPoP ${token}`, dpop: makeProof(key, { htm: 'GET', htu: echo, accessToken: token }) });
    expect(answer.status).toBe(200);
    expect(answer.json.claims.cnf).toEqual({ jkt: key.jkt });
    expect(api.stats.accepted).toBe(1);
    expect(api.stats.dpop.accepted).toBe(1);
  });

  it('accepts-a-post-whose-proof-names-post', async () => {
    const answer = await call({ authorization: `DPoP ${token}`, dpop: makeProof(key, { htm: 'POST', htu: echo, accessToken: token }) }, echo, 'POST');
    expect(answer.status).toBe(200);
  });

  it('refuses-a-dpop-bound-token-sent-as-bearer', async () => {
    const answer = await call({ authorization: `Bearer ${token}` });
    expect(answer.status).toBe(401);
    expect(answer.json.error).toBe('invalid_token');
    expect(api.stats.dpop.rejectedFor('bound-as-bearer')).toBe(1);
  });

  it('still-accepts-plain-bearer-tokens', async () => {
    expect((await call({ authorization: `Bearer ${bearer}` })).status).toBe(200);
  });

  it('refuses-an-unbound-token-sent-with-the-dpop-scheme', async () => {
    const answer = await call({ authorization: `DPoP ${bearer}`, dpop: makeProof(key, { htm: 'GET', htu: echo, accessToken: bearer }) });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^DPoP .*error="invalid_token"/);
    expect(api.stats.dpop.rejectedFor('unbound')).toBe(1);
  });

  it('answers-a-bad-token-sent-with-the-dpop-scheme-with-a-dpop-challenge', async () => {
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.AAAA`;
    const answer = await call({ authorization: `DPoP ${forged}`, dpop: makeProof(key, { htm: 'GET', htu: echo, accessToken: forged }) });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^DPoP .*error="invalid_token"/);
  });

  const refusals: Array<[string, () => Record<string, string>, string]> = [
    ['no proof', () => ({ authorization: `DPoP ${token}` }), 'missing'],
    ['a proof without ath', () => ({ authorization: `DPoP ${token}`, dpop: makeProof(key, { htm: 'GET', htu: echo }) }), 'ath'],
    ['a proof for another token', () => ({ authorization: `DPoP ${token}`, dpop: makeProof(key, { htm: 'GET', htu: echo, accessToken: bearer }) }), 'ath'],
    ['a proof by another key', () => ({ authorization: `DPoP ${token}`, dpop: makeProof(makeProofKey(), { htm: 'GET', htu: echo, accessToken: token }) }), 'jkt'],
    ['a proof for POST', () => ({ authorization: `DPoP ${token}`, dpop: makeProof(key, { htm: 'POST', htu: echo, accessToken: token }) }), 'htm'],
    ['a proof for another path', () => ({ authorization: `DPoP ${token}`, dpop: makeProof(key, { htm: 'GET', htu: `${api.url}/api/other`, accessToken: token }) }), 'htu'],
    ['a proof for the token endpoint', () => ({ authorization: `DPoP ${token}`, dpop: makeProof(key, { htm: 'GET', htu: server.tokenEndpoint, accessToken: token }) }), 'htu'],
  ];

  it.each(refusals)('refuses-%s-with-a-dpop-challenge', async (_name, headers, reason) => {
    const answer = await call(headers());
    expect(answer.status).toBe(401);
    const challenge = answer.headers.get('www-authenticate')!;
    expect(challenge).toMatch(/^DPoP realm="mca-oauth-dev", error="invalid_dpop_proof", error_description="[^"]+", algs="ES256 [^"]+"$/);
    expect(challenge).not.toContain(token.slice(0, 20));
    expect(api.stats.dpop.snapshot().rejections).toEqual({ [reason]: 1 });
    expect(api.stats.rejected).toBe(1);
  });

  it('refuses-a-replayed-proof', async () => {
    const headers = { authorization: `DPoP ${token}`, dpop: makeProof(key, { htm: 'GET', htu: echo, accessToken: token }) };
    expect((await call(headers)).status).toBe(200);
    expect((await call(headers)).status).toBe(401);
    expect(api.stats.dpop.rejectedFor('replay')).toBe(1);
  });

  it('asks-for-its-own-nonce-with-401-use_dpop_nonce-and-accepts-the-retry', async () => {
    api.dpop.requireNonce = true;
    const first = await call({ authorization: `DPoP ${token}`, dpop: makeProof(key, { htm: 'GET', htu: echo, accessToken: token }) });
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toMatch(/^DPoP .*error="use_dpop_nonce"/);
    const nonce = first.headers.get('dpop-nonce')!;
    expect(nonce).toBe(api.dpop.nonce);
    // RFC 9449 §9: the resource's nonce is its own, not the authorization server's.
    expect(nonce).not.toBe(server.dpop.nonce);
    const retry = await call({ authorization: `DPoP ${token}`, dpop: makeProof(key, { htm: 'GET', htu: echo, accessToken: token, nonce }) });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('dpop-nonce')).toBe(nonce);
    expect(api.stats.dpop.snapshot()).toEqual({ accepted: 1, rejected: 1, rejections: { nonce: 1 } });
  });

  it('hands-out-the-rotated-nonce-on-a-success', async () => {
    api.dpop.requireNonce = true;
    api.dpop.nonceRotation = 1;
    try {
      const nonce = api.dpop.nonce;
      const answer = await call({ authorization: `DPoP ${token}`, dpop: makeProof(key, { htm: 'GET', htu: echo, accessToken: token, nonce }) });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('dpop-nonce')).not.toBe(nonce);
      expect(answer.headers.get('dpop-nonce')).toBe(api.dpop.nonce);
    } finally {
      api.dpop.nonceRotation = 0;
    }
  });

  it('checks-proofs-in-withBearerAuth-too', async () => {
    const verifier = createTokenVerifier({ server, audience: DEFAULT_AUDIENCE });
    const plain: Server = createServer(withBearerAuth(verifier, (_req, res, auth) => void res.end(String(auth.scheme))));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(plain.address() as { port: number }).port}/x`;
      const ok = await get(url, { authorization: `DPoP ${token}`, dpop: makeProof(key, { htm: 'GET', htu: url, accessToken: token }) });
      expect(ok.text).toBe('DPoP');
      const bad = await get(url, { authorization: `DPoP ${token}`, dpop: makeProof(key, { htm: 'GET', htu: `${url}y`, accessToken: token }) });
      expect(bad.status).toBe(401);
      expect(verifier.dpop.stats.rejectedFor('htu')).toBe(1);
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });
});
