import { importJWK, jwtVerify } from 'jose';
import { DEFAULT_CLIENT, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startDevServer, type DevServer } from '../src/index.js';
import { CLIENT_CREDENTIALS, formBasic, get, headerOf, postForm, rawBasic } from './helpers.js';

describe('MCA protocol', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer({ clients: [DEFAULT_CLIENT, { id: 'scoped', secret: 's3cret', scopes: ['orders'] }] });
  });
  afterAll(() => server.close());
  const basic = rawBasic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);

  it('issues-an-rs256-token-with-the-tenant-as-audience-verifiable-with-the-publickey-endpoint', async () => {
    const answer = await postForm(server.mcaTokenEndpoint('tenant-1'), CLIENT_CREDENTIALS, { authorization: basic });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(answer.json).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(answer.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(headerOf(answer.json.access_token).alg).toBe('RS256');

    const key = await get(server.mcaPublicKeyEndpoint('tenant-1'));
    expect(key.status).toBe(200);
    expect(Object.keys(key.json).sort()).toEqual(['e', 'n']);
    const publicKey = await importJWK({ kty: 'RSA', n: key.json.n, e: key.json.e }, 'RS256');
    const { payload } = await jwtVerify(answer.json.access_token, publicKey, { audience: 'tenant-1' });
    // exp is rounded up so the token lives at least expires_in: 3600 s, or one more.
    expect(payload.exp! - payload.iat!).toBeGreaterThanOrEqual(3600);
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(3600 + 1);
    expect(payload['imf.scope']).toBe('');
  });

  it('carries-a-requested-scope-in-imf-scope', async () => {
    const answer = await postForm(server.mcaTokenEndpoint('t'), { ...CLIENT_CREDENTIALS, scope: 'orders' }, { authorization: rawBasic('scoped', 's3cret') });
    expect(answer.status).toBe(200);
    const { payload } = await jwtVerify(answer.json.access_token, await importJWK(server.jwks.keys[0]!, 'RS256'));
    expect(payload['imf.scope']).toBe('orders');
  });

  it('accepts-the-form-urlencoded-basic-variant', async () => {
    const answer = await postForm(server.mcaTokenEndpoint('t'), CLIENT_CREDENTIALS, { authorization: formBasic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET) });
    expect(answer.status).toBe(200);
  });

  it('decodes-a-percent-encoded-tenant-id', async () => {
    const url = server.mcaTokenEndpoint('app guid/1');
    expect(url).toContain('/apps/app%20guid%2F1/token');
    const answer = await postForm(url, CLIENT_CREDENTIALS, { authorization: basic });
    const { payload } = await jwtVerify(answer.json.access_token, await importJWK(server.jwks.keys[0]!, 'RS256'), { audience: 'app guid/1' });
    expect(payload.aud).toBe('app guid/1');
  });

  it('answers-401-invalid-client-with-a-basic-challenge-for-a-wrong-secret', async () => {
    const answer = await postForm(server.mcaTokenEndpoint('t'), CLIENT_CREDENTIALS, { authorization: rawBasic(DEFAULT_CLIENT_ID, 'nope') });
    expect(answer.status).toBe(401);
    expect(answer.json.error).toBe('invalid_client');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('does-not-accept-client-secret-post-which-mca-never-spoke', async () => {
    const answer = await postForm(server.mcaTokenEndpoint('t'), { ...CLIENT_CREDENTIALS, client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET });
    expect(answer.status).toBe(401);
    expect(answer.json.error).toBe('invalid_client');
  });

  it('rejects-a-scope-the-client-may-not-ask-for', async () => {
    const answer = await postForm(server.mcaTokenEndpoint('t'), { ...CLIENT_CREDENTIALS, scope: 'admin' }, { authorization: rawBasic('scoped', 's3cret') });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_scope');
  });

  it('answers-404-for-paths-that-are-not-mca-routes', async () => {
    for (const path of ['/authorization/v1/apps//token', '/authorization/v1/apps/t/other', '/authorization/v1/apps/%E0%A4%A/token']) {
      expect([path, (await get(`${server.url}${path}`)).status]).toEqual([path, 404]);
    }
  });
});
