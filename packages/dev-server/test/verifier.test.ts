import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { generateKeyPair, SignJWT } from 'jose';
import {
  createTokenVerifier,
  DEFAULT_AUDIENCE,
  DEFAULT_CLIENT,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startDevServer,
  withBearerAuth,
  type DevServer,
  type TokenVerifier,
} from '../src/index.js';
import { VerifiedTokenCache } from '../src/verifier/verified-token-cache.js';
import { CLIENT_CREDENTIALS, get, postForm, rawBasic } from './helpers.js';

describe('token verifier', () => {
  let server: DevServer;
  let verifier: TokenVerifier;
  let token: string;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    server = await startDevServer({ clients: [DEFAULT_CLIENT] });
    verifier = createTokenVerifier({ server, audience: [DEFAULT_AUDIENCE, 'tenant-1'] });
    const answer = await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, scope: 'read write' }, { authorization: rawBasic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET) });
    token = answer.json.access_token;
  });
  afterAll(() => server.close());

  it('accepts-a-valid-token-and-reads-its-scopes', async () => {
    const result = await verifier.verify(`Bearer ${token}`);
    expect(result).toMatchObject({ ok: true, accessToken: token, payload: { client_id: DEFAULT_CLIENT_ID } });
    expect(result.ok && [...result.scopes]).toEqual(['read', 'write']);
  });

  it('accepts-the-mca-two-token-form-and-imf-scope', async () => {
    const answer = await postForm(server.mcaTokenEndpoint('tenant-1'), { ...CLIENT_CREDENTIALS, scope: 'orders' }, { authorization: rawBasic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET) });
    const result = await verifier.verify(`Bearer ${answer.json.access_token}   id.token.value`, { requiredScopes: ['orders'] });
    expect(result).toMatchObject({ ok: true, idToken: 'id.token.value' });
  });

  it('answers-401-with-a-bare-challenge-when-no-token-is-sent', async () => {
    for (const header of [undefined, 'Basic dXNlcjpwYXNz']) {
      const result = await verifier.verify(header);
      expect(result).toMatchObject({ ok: false, status: 401, wwwAuthenticate: 'Bearer realm="mca-oauth-dev"' });
      expect(!result.ok && result.error).toBeUndefined();
    }
  });

  it('answers-401-invalid-token-for-malformed-headers', async () => {
    for (const header of ['Bearer', 'Bearer    ', 'Bearer a b c d', 'Bearer tok"en', 'Bearer a,b', ['Bearer a', 'Bearer b']]) {
      const result = await verifier.verify(header);
      expect([header, result.ok, !result.ok && result.status, !result.ok && result.error]).toEqual([header, false, 401, 'invalid_token']);
      expect(!result.ok && result.wwwAuthenticate).toMatch(/^Bearer realm="mca-oauth-dev", error="invalid_token", error_description="[^"]*"$/);
    }
  });

  it('never-throws-for-any-authorization-header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string().map((s) => `Bearer ${s}`), fc.string().map((s) => `Bearer ${token.slice(0, 20)}${s}`)), async (header) => {
        const result = await verifier.verify(header);
        expect(result.ok).toBe(false);
        expect(!result.ok && result.status).toBe(401);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects-expired-foreign-audience-foreign-issuer-and-forged-tokens', async () => {
    const base = { iss: server.issuer, aud: DEFAULT_AUDIENCE, iat: now() - 100 };
    const stranger = await generateKeyPair('RS256');
    const cases: [string, string, string][] = [
      ['expired', await server.signToken({ ...base, exp: now() - 1 }), 'token expired'],
      ['audience', await server.signToken({ ...base, aud: 'https://elsewhere', exp: now() + 60 }), 'claim aud is invalid'],
      ['issuer', await server.signToken({ ...base, iss: 'https://evil', exp: now() + 60 }), 'claim iss is invalid'],
      ['no exp', await server.signToken({ ...base }), 'claim exp is invalid'],
      ['forged', await new SignJWT({ ...base, exp: now() + 60 }).setProtectedHeader({ alg: 'RS256', kid: server.jwks.keys[0]!.kid! }).sign(stranger.privateKey), 'signature is invalid'],
      ['tampered', `${token.slice(0, -4)}AAAA`, 'signature is invalid'],
    ];
    for (const [name, jwt, description] of cases) {
      const result = await verifier.verify(`Bearer ${jwt}`);
      expect([name, result.ok, !result.ok && result.status, !result.ok && result.error]).toEqual([name, false, 401, 'invalid_token']);
      expect(!result.ok && result.description).toContain(description);
      // The description goes into logs and headers: never the token itself.
      expect(!result.ok && result.wwwAuthenticate).not.toContain(jwt.slice(0, 30));
    }
  });

  it('answers-403-insufficient-scope-naming-the-needed-scope', async () => {
    const result = await verifier.verify(`Bearer ${token}`, { requiredScopes: ['admin'] });
    expect(result).toMatchObject({ ok: false, status: 403, error: 'insufficient_scope' });
    expect(!result.ok && result.wwwAuthenticate).toContain('scope="admin"');
    const strict = createTokenVerifier({ server, audience: DEFAULT_AUDIENCE, requiredScopes: ['read'] });
    expect((await strict.verify(`Bearer ${token}`)).ok).toBe(true);
    expect((await strict.verify(`Bearer ${token}`, { requiredScopes: ['delete'] })).ok).toBe(false);
  });

  it('verifies-a-token-once-and-answers-repeats-from-its-cache', async () => {
    const fresh = createTokenVerifier({ server, audience: DEFAULT_AUDIENCE });
    for (let i = 0; i < 5; i++) expect((await fresh.verify(`Bearer ${token}`)).ok).toBe(true);
    expect({ ...fresh.stats }).toMatchObject({ accepted: 5, rejected: 0, cacheHits: 4 });
    // Scopes are checked on every request, cached or not.
    expect((await fresh.verify(`Bearer ${token}`, { requiredScopes: ['admin'] })).ok).toBe(false);
    expect(fresh.stats.rejected).toBe(1);
    fresh.stats.reset();
    expect(fresh.stats.accepted).toBe(0);
  });

  it('verifies-against-a-remote-jwks-uri', async () => {
    const remote = createTokenVerifier({ jwksUri: server.jwksUri, audience: DEFAULT_AUDIENCE, issuer: server.issuer });
    server.stats.reset();
    expect((await remote.verify(`Bearer ${token}`)).ok).toBe(true);
    expect(server.stats.snapshot().jwksRequests).toBe(1);
  });

  it('answers-503-not-invalid-token-when-the-remote-key-set-cannot-be-fetched', async () => {
    server.faults.inject({ type: 'status', status: 500, target: 'jwks', times: 1 });
    server.faults.inject({ type: 'malformed', body: 'truncated-json', target: 'jwks', times: 1 });
    for (let i = 0; i < 2; i++) {
      const remote = createTokenVerifier({ jwksUri: server.jwksUri, audience: DEFAULT_AUDIENCE });
      const result = await remote.verify(`Bearer ${token}`);
      expect(result).toMatchObject({ ok: false, status: 503, description: 'key set unavailable' });
      expect(!result.ok && result.error).toBeUndefined();
    }
  });

  it('checks-its-options-once-when-created', () => {
    expect(() => createTokenVerifier({ audience: 'x' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    expect(() => createTokenVerifier({ server, jwksUri: server.jwksUri, audience: 'x' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    expect(() => createTokenVerifier({ server, audience: [] })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
  });

  describe('withBearerAuth over node:http', () => {
    let api: Server;
    let url: string;
    beforeAll(async () => {
      api = createServer(withBearerAuth(createTokenVerifier({ server, audience: DEFAULT_AUDIENCE }), (_req, res, auth) => {
        res.end(JSON.stringify({ sub: auth.payload.sub }));
      }));
      await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => api.close(resolve));
    });
    afterEach(() => api.closeAllConnections());

    it('passes-a-request-with-a-valid-token-to-the-handler', async () => {
      const answer = await get(url, { authorization: `Bearer ${token}` });
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ sub: DEFAULT_CLIENT_ID });
    });

    it('answers-401-with-www-authenticate-itself', async () => {
      const missing = await get(url);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="mca-oauth-dev"');
      const bad = await get(url, { authorization: 'Bearer not-a-jwt' });
      expect(bad.status).toBe(401);
      expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });
  });
});

describe('VerifiedTokenCache', () => {
  const entry = (exp: number) => ({ payload: { exp }, scopes: new Set<string>(), exp });

  it('drops-an-entry-at-its-exp-second', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('t', entry(100));
    expect(cache.get('t', 99)).toBeDefined();
    expect(cache.get('t', 100)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts-the-oldest-entry-when-full', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('a', entry(100));
    cache.set('b', entry(100));
    cache.set('c', entry(100));
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)].map(Boolean)).toEqual([false, true, true]);
  });
});
