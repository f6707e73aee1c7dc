import { createRemoteJWKSet, jwtVerify } from 'jose';
import { DEFAULT_AUDIENCE, DEFAULT_CLIENT, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startDevServer, type DevServer } from '../src/index.js';
import { CLIENT_CREDENTIALS, claimsOf, headerOf, postForm, rawBasic, send } from './helpers.js';

const basic = rawBasic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);

describe('OAuth 2.0 token endpoint', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer({
      clients: [DEFAULT_CLIENT, { id: 'narrow', secret: 'narrow-secret', audiences: ['https://api.example'] }],
    });
  });
  afterAll(() => server.close());

  it('issues-an-rfc9068-token-verifiable-against-the-served-jwks', async () => {
    const answer = await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, scope: 'read write' }, { authorization: basic });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'read write' });

    const { payload, protectedHeader } = await jwtVerify(answer.json.access_token, createRemoteJWKSet(new URL(server.jwksUri)), {
      issuer: server.issuer,
      audience: DEFAULT_AUDIENCE,
      typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ sub: DEFAULT_CLIENT_ID, client_id: DEFAULT_CLIENT_ID, scope: 'read write', aud: DEFAULT_AUDIENCE });
    // exp is rounded up so the token lives at least expires_in: 3600 s, or one more.
    expect(payload.exp! - payload.iat!).toBeGreaterThanOrEqual(3600);
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(3600 + 1);
    expect(payload.jti).toEqual(expect.any(String));
  });

  it('accepts-client-secret-post', async () => {
    const answer = await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET });
    expect(answer.status).toBe(200);
    expect(claimsOf(answer.json.access_token).client_id).toBe(DEFAULT_CLIENT_ID);
    expect(answer.json.scope).toBeUndefined();
  });

  it('gives-every-token-its-own-jti', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: basic })));
    expect(claimsOf(a!.json.access_token).jti).not.toBe(claimsOf(b!.json.access_token).jti);
  });

  it('puts-repeated-audience-and-resource-values-in-aud', async () => {
    const answer = await postForm(
      server.tokenEndpoint,
      { ...CLIENT_CREDENTIALS, audience: ['api-a', 'api-b'], resource: ['https://r1.example/x', 'https://r2.example'] },
      { authorization: basic },
    );
    expect(answer.status).toBe(200);
    expect(claimsOf(answer.json.access_token).aud).toEqual(['api-a', 'api-b', 'https://r1.example/x', 'https://r2.example']);
  });

  it('emits-a-single-audience-as-a-string', async () => {
    const answer = await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, resource: 'https://r1.example' }, { authorization: basic });
    expect(claimsOf(answer.json.access_token).aud).toBe('https://r1.example');
  });

  it('rejects-a-resource-with-a-fragment-as-invalid-target', async () => {
    const answer = await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, resource: 'https://r1.example/#frag' }, { authorization: basic });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_target');
  });

  it('rejects-an-audience-the-client-may-not-ask-for', async () => {
    const narrow = rawBasic('narrow', 'narrow-secret');
    const ok = await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, audience: 'https://api.example' }, { authorization: narrow });
    expect(ok.status).toBe(200);
    const denied = await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, audience: 'https://other.example' }, { authorization: narrow });
    expect(denied.status).toBe(400);
    expect(denied.json.error).toBe('invalid_target');
  });

  it('applies-a-new-token-lifetime-at-run-time-in-code-and-over-http', async () => {
    server.setTokenTtl(1);
    const short = await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: basic });
    expect(short.json.expires_in).toBe(1);
    const claims = claimsOf(short.json.access_token);
    // exp is rounded up so the token lives at least expires_in: 1 s, or one more.
    expect(claims.exp! - claims.iat!).toBeGreaterThanOrEqual(1);
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(1 + 1);

    const put = await send(`${server.url}/__admin/token-ttl`, { method: 'PUT', body: JSON.stringify({ seconds: 120 }) });
    expect(put.status).toBe(204);
    expect(server.tokenTtl).toBe(120);
    const longer = await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: basic });
    expect(longer.json.expires_in).toBe(120);

    expect(() => server.setTokenTtl(0)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    const bad = await send(`${server.url}/__admin/token-ttl`, { method: 'PUT', body: JSON.stringify({ seconds: 1.5 }) });
    expect(bad.status).toBe(400);
    server.setTokenTtl(3600);
  });
});

describe('signingAlg option', () => {
  it('signs-oauth-tokens-with-es256-and-keeps-mca-tokens-rs256', async () => {
    const server = await startDevServer({ signingAlg: 'ES256' });
    try {
      const oauth = await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: basic });
      const mca = await postForm(server.mcaTokenEndpoint('t'), CLIENT_CREDENTIALS, { authorization: basic });
      expect(headerOf(oauth.json.access_token).alg).toBe('ES256');
      expect(headerOf(mca.json.access_token).alg).toBe('RS256');
      expect(server.jwks.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
      const keys = createRemoteJWKSet(new URL(server.jwksUri));
      await expect(jwtVerify(oauth.json.access_token, keys)).resolves.toBeDefined();
      await expect(jwtVerify(mca.json.access_token, keys)).resolves.toBeDefined();
    } finally {
      await server.close();
    }
  });
});
