import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, startDevServer, type DevServer } from '../src/index.js';
import { makeProof, makeProofKey, type ProofKey } from '../../../test-support/dpop-proof.js';
import { CLIENT_CREDENTIALS, claimsOf, get, postForm, rawBasic, send } from './helpers.js';

const basic = rawBasic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);

describe('token endpoint with DPoP (RFC 9449 §5)', () => {
  let server: DevServer;
  let key: ProofKey;

  beforeAll(async () => {
    server = await startDevServer({ signingAlg: 'ES256' });
    key = makeProofKey();
  });
  beforeEach(() => {
    server.stats.reset();
    server.dpop.requireNonce = false;
    server.dpop.nonceRotation = 0;
    server.faults.clear();
  });
  afterAll(() => server.close());

  const tokenRequest = (proof?: string, url = server.tokenEndpoint) =>
    postForm(url, { ...CLIENT_CREDENTIALS, scope: 'read' }, proof === undefined ? { authorization: basic } : { authorization: basic, dpop: proof });

  it('issues-a-dpop-token-bound-to-the-proof-key-thumbprint', async () => {
    const answer = await tokenRequest(makeProof(key, { htm: 'POST', htu: server.tokenEndpoint }));
    expect(answer.status).toBe(200);
    expect(answer.json.token_type).toBe('DPoP');
    expect(claimsOf(answer.json.access_token).cnf).toEqual({ jkt: key.jkt });
    expect(answer.headers.get('dpop-nonce')).toBeNull();
    expect(server.stats.snapshot().dpop).toEqual({ accepted: 1, rejected: 0, rejections: {} });
  });

  it('issues-bearer-without-a-proof', async () => {
    const answer = await tokenRequest();
    expect(answer.json.token_type).toBe('Bearer');
    expect(claimsOf(answer.json.access_token).cnf).toBeUndefined();
  });

  it.each(['EdDSA', 'PS256', 'RS256'] as const)('accepts-%s-proofs', async (alg) => {
    const other = makeProofKey(alg);
    const answer = await tokenRequest(makeProof(other, { htm: 'POST', htu: server.tokenEndpoint }));
    expect(answer.status).toBe(200);
    expect(claimsOf(answer.json.access_token).cnf).toEqual({ jkt: other.jkt });
  });

  it('binds-mca-tokens-too-and-normalizes-htu', async () => {
    const url = server.mcaTokenEndpoint(DEFAULT_TENANT_ID);
    // Default port spelled out, upper-case host, a query and a fragment: the same URL after §4.3's normalization.
    const htu = `${url.replace('http://127.0.0.1', 'HTTP://127.0.0.1')}?x=1#frag`;
    const answer = await postForm(url, CLIENT_CREDENTIALS, { authorization: basic, dpop: makeProof(key, { htm: 'POST', htu }) });
    expect(answer.status).toBe(200);
    expect(answer.json.token_type).toBe('DPoP');
    expect(claimsOf(answer.json.access_token).cnf).toEqual({ jkt: key.jkt });
  });

  const wrong: Array<[string, (k: ProofKey, url: string) => string, string]> = [
    ['typ', (k, url) => makeProof(k, { htm: 'POST', htu: url, header: { typ: 'JWT' } }), 'typ'],
    ['alg none', (k, url) => makeProof(k, { htm: 'POST', htu: url, header: { alg: 'none' } }), 'alg'],
    ['alg HS256', (k, url) => makeProof(k, { htm: 'POST', htu: url, header: { alg: 'HS256' } }), 'alg'],
    ['no jwk', (k, url) => makeProof(k, { htm: 'POST', htu: url, header: { jwk: undefined } }), 'jwk'],
    ['a private jwk', (k, url) => makeProof(k, { htm: 'POST', htu: url, header: { jwk: k.privateKey.export({ format: 'jwk' }) } }), 'jwk'],
    ['a symmetric jwk', (k, url) => makeProof(k, { htm: 'POST', htu: url, header: { jwk: { kty: 'oct', k: 'c2VjcmV0' } } }), 'jwk'],
    ['an RSA jwk under ES256', (k, url) => makeProof(k, { htm: 'POST', htu: url, header: { jwk: makeProofKey('RS256').publicJwk } }), 'jwk'],
    ['a signature by another key', (k, url) => makeProof(k, { htm: 'POST', htu: url, signWith: makeProofKey().privateKey }), 'signature'],
    ['htm GET', (k, url) => makeProof(k, { htm: 'GET', htu: url }), 'htm'],
    ['htu of another path', (k, url) => makeProof(k, { htm: 'POST', htu: `${url}/other` }), 'htu'],
    ['htu of another port', (k, url) => makeProof(k, { htm: 'POST', htu: url.replace(/:\d+\//, ':1/') }), 'htu'],
    ['iat 10 minutes old', (k, url) => makeProof(k, { htm: 'POST', htu: url, claims: { iat: Math.floor(Date.now() / 1000) - 600 } }), 'iat'],
    ['iat 10 minutes ahead', (k, url) => makeProof(k, { htm: 'POST', htu: url, claims: { iat: Math.floor(Date.now() / 1000) + 600 } }), 'iat'],
    ['no jti', (k, url) => makeProof(k, { htm: 'POST', htu: url, claims: { jti: undefined } }), 'claims'],
    ['not a JWS', () => 'not-a-proof', 'malformed'],
  ];

  it.each(wrong)('refuses-a-proof-with-%s-as-invalid_dpop_proof', async (_name, make, reason) => {
    const answer = await tokenRequest(make(key, server.tokenEndpoint));
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_dpop_proof');
    expect(answer.json.error_description).not.toContain('eyJ');
    expect(server.stats.snapshot().dpop.rejections).toEqual({ [reason]: 1 });
  });

  it('refuses-a-replayed-jti', async () => {
    const proof = makeProof(key, { htm: 'POST', htu: server.tokenEndpoint });
    expect((await tokenRequest(proof)).status).toBe(200);
    const replay = await tokenRequest(proof);
    expect(replay.status).toBe(400);
    expect(replay.json.error).toBe('invalid_dpop_proof');
    expect(server.stats.snapshot().dpop.rejections).toEqual({ replay: 1 });
  });

  it('refuses-two-dpop-headers', async () => {
    const proof = makeProof(key, { htm: 'POST', htu: server.tokenEndpoint });
    const headers = new Headers({ authorization: basic, 'content-type': 'application/x-www-form-urlencoded' });
    headers.append('dpop', proof);
    headers.append('dpop', makeProof(key, { htm: 'POST', htu: server.tokenEndpoint }));
    const answer = await send(server.tokenEndpoint, { method: 'POST', headers, body: 'grant_type=client_credentials' });
    expect(answer.status).toBe(400);
    expect(server.stats.snapshot().dpop.rejections).toEqual({ malformed: 1 });
  });

  it('demands-a-nonce-when-required-and-accepts-the-retry', async () => {
    server.dpop.requireNonce = true;
    const first = await tokenRequest(makeProof(key, { htm: 'POST', htu: server.tokenEndpoint }));
    expect(first.status).toBe(400);
    expect(first.json.error).toBe('use_dpop_nonce');
    const nonce = first.headers.get('dpop-nonce');
    expect(nonce).toBe(server.dpop.nonce);
    expect(nonce).toMatch(/^[\x21\x23-\x5B\x5D-\x7E]+$/);
    const retry = await tokenRequest(makeProof(key, { htm: 'POST', htu: server.tokenEndpoint, nonce: nonce! }));
    expect(retry.status).toBe(200);
    expect(retry.json.token_type).toBe('DPoP');
    expect(retry.headers.get('dpop-nonce')).toBe(nonce);
    expect(server.stats.snapshot().dpop).toEqual({ accepted: 1, rejected: 1, rejections: { nonce: 1 } });
  });

  it('refuses-a-stale-nonce-after-rotation-and-hands-out-the-new-one', async () => {
    server.dpop.requireNonce = true;
    const old = server.dpop.nonce;
    const fresh = server.dpop.rotateNonce();
    expect(fresh).not.toBe(old);
    const stale = await tokenRequest(makeProof(key, { htm: 'POST', htu: server.tokenEndpoint, nonce: old }));
    expect(stale.json.error).toBe('use_dpop_nonce');
    expect(stale.headers.get('dpop-nonce')).toBe(fresh);
  });

  it('rotates-the-nonce-every-n-proofs-announcing-the-next-on-success', async () => {
    server.dpop.requireNonce = true;
    server.dpop.nonceRotation = 2;
    let nonce = server.dpop.nonce;
    const first = await tokenRequest(makeProof(key, { htm: 'POST', htu: server.tokenEndpoint, nonce }));
    expect(first.headers.get('dpop-nonce')).toBe(nonce);
    const second = await tokenRequest(makeProof(key, { htm: 'POST', htu: server.tokenEndpoint, nonce }));
    expect(second.status).toBe(200);
    const next = second.headers.get('dpop-nonce')!;
    expect(next).not.toBe(nonce);
    expect((await tokenRequest(makeProof(key, { htm: 'POST', htu: server.tokenEndpoint, nonce }))).json.error).toBe('use_dpop_nonce');
    nonce = next;
    expect((await tokenRequest(makeProof(key, { htm: 'POST', htu: server.tokenEndpoint, nonce }))).status).toBe(200);
  });

  it('answers-use_dpop_nonce-once-on-a-fault-even-when-nonces-are-not-required', async () => {
    server.faults.inject({ type: 'use-dpop-nonce', times: 1 });
    const first = await tokenRequest(makeProof(key, { htm: 'POST', htu: server.tokenEndpoint }));
    expect(first.status).toBe(400);
    expect(first.json.error).toBe('use_dpop_nonce');
    const nonce = first.headers.get('dpop-nonce')!;
    const retry = await tokenRequest(makeProof(key, { htm: 'POST', htu: server.tokenEndpoint, nonce }));
    expect(retry.status).toBe(200);
    expect(server.stats.snapshot().tokenRequests).toMatchObject({ requests: 2, successes: 1, faulted: 1 });
  });

  it('switches-nonces-over-the-admin-routes', async () => {
    const put = await send(`${server.url}/__admin/dpop`, { method: 'PUT', body: JSON.stringify({ requireNonce: true, nonceRotation: 5 }) });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ requireNonce: true, nonceRotation: 5, nonce: server.dpop.nonce });
    expect(server.dpop.requireNonce).toBe(true);
    const rotated = await send(`${server.url}/__admin/dpop/rotate-nonce`, { method: 'POST' });
    expect(rotated.json.nonce).toBe(server.dpop.nonce);
    expect((await get(`${server.url}/__admin/dpop`)).json.nonceRotation).toBe(5);
    const bad = await send(`${server.url}/__admin/dpop`, { method: 'PUT', body: JSON.stringify({ requireNonce: 'yes' }) });
    expect(bad.status).toBe(400);
    const injected = await send(`${server.url}/__admin/faults`, { method: 'POST', body: JSON.stringify({ type: 'use-dpop-nonce', times: 1 }) });
    expect(injected.status).toBe(201);
    const stats = await get(`${server.url}/__admin/stats`);
    expect(stats.json.dpop).toEqual({ accepted: 0, rejected: 0, rejections: {} });
  });

  it('announces-dpop-algorithms-in-metadata', async () => {
    const metadata = await get(server.metadataUrl);
    expect(metadata.json.dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256', 'EdDSA', 'PS256', 'RS256']));
  });
});

describe('DPoP options', () => {
  it('refuses-bad-dpop-options-with-a-typed-error', async () => {
    await expect(startDevServer({ dpop: { nonceRotation: -1 } })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: expect.stringContaining('options.dpop.nonceRotation') });
    await expect(startDevServer({ dpop: { algorithms: ['HS256'] } })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    await expect(startDevServer({ dpop: { requireNonse: true } as never })).rejects.toMatchObject({ message: expect.stringContaining('requireNonse') });
  });

  it('starts-requiring-nonces-from-options', async () => {
    const server = await startDevServer({ signingAlg: 'ES256', dpop: { requireNonce: true, algorithms: ['ES256'] } });
    try {
      const key = makeProofKey();
      const answer = await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: basic, dpop: makeProof(key, { htm: 'POST', htu: server.tokenEndpoint }) });
      expect(answer.json.error).toBe('use_dpop_nonce');
      const ed = makeProofKey('EdDSA');
      const refused = await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: basic, dpop: makeProof(ed, { htm: 'POST', htu: server.tokenEndpoint, nonce: server.dpop.nonce }) });
      expect(refused.json.error).toBe('invalid_dpop_proof');
      expect(server.stats.snapshot().dpop.rejections).toEqual({ nonce: 1, alg: 1 });
    } finally {
      await server.close();
    }
  });
});
