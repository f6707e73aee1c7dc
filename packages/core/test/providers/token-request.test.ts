import { createServer } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import nock from 'nock';
import { importSPKI, jwtVerify, SignJWT } from 'jose';
import { resolveTokenConfig } from '../../src/config/resolve.js';
import type { TokenOptions } from '../../src/config/options.js';
import { McaErrorCodes, type McaError } from '../../src/errors/index.js';
import { ClientCredentialsProvider } from '../../src/providers/client-credentials.js';
import { failure } from '../support/failure.js';
import { useNock } from '../support/use-nock.js';

const SECRET = 'S3cr3t-value-never-shown';
const TOKEN_HOST = 'https://auth.example.com';

function provider(options: TokenOptions): ClientCredentialsProvider {
  return new ClientCredentialsProvider(resolveTokenConfig(options));
}

const oauth2 = (extra: TokenOptions = {}): TokenOptions => ({
  tokenEndpoint: `${TOKEN_HOST}/oauth2/token`,
  clientId: 'client-1',
  secret: SECRET,
  ...extra,
});

/** nock hands body matchers the form parsed into an object (repeated keys as arrays); rebuild it. */
function formOf(body: unknown): URLSearchParams {
  if (typeof body === 'string') return new URLSearchParams(body);
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body as Record<string, string | string[]>)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
  }
  return form;
}

useNock();

describe('MCA protocol, as the seed spoke it', () => {
  it.each([
    ['https://mca.example.com', 'no trailing slash'],
    ['https://mca.example.com/', 'a trailing slash'],
    ['https://mca.example.com//', 'two trailing slashes'],
  ])('posts to {serverUrl}/authorization/v1/apps/{appId}/token with one slash between parts (%s, %s)', async (serverUrl) => {
    const scope = nock('https://mca.example.com', {
      reqheaders: { authorization: `Basic ${Buffer.from(`mca-client:${SECRET}`).toString('base64')}` },
    })
      .post('/authorization/v1/apps/tenant-42/token', 'grant_type=client_credentials')
      .reply(200, { access_token: 'mca-token', expires_in: 3600, token_type: 'Bearer' });
    const token = await provider({ serverUrl, appId: 'tenant-42', clientId: 'mca-client', secret: SECRET }).fetchToken();
    expect(token.authorization).toBe('Bearer mca-token');
    scope.done();
  });

  it('sends the raw clientId:secret in Basic, not the RFC 6749 form-encoded one (the MCA server expects it)', async () => {
    const raw = Buffer.from(`id with space:${SECRET}+/`).toString('base64');
    const scope = nock('https://mca.example.com', { reqheaders: { authorization: `Basic ${raw}` } })
      .post('/authorization/v1/apps/t/token')
      .reply(200, { access_token: 'x', expires_in: 60 });
    await provider({ serverUrl: 'https://mca.example.com', appId: 't', clientId: 'id with space', secret: `${SECRET}+/` }).fetchToken();
    scope.done();
  });

  it('accepts an MCA answer without token_type (old servers omitted it)', async () => {
    nock('https://mca.example.com').post('/authorization/v1/apps/t/token').reply(200, { access_token: 'x', expires_in: 60 });
    const token = await provider({ serverUrl: 'https://mca.example.com', appId: 't', clientId: 'c', secret: SECRET }).fetchToken();
    expect(token.tokenType).toBe('Bearer');
  });
});

describe('OAuth 2.0 client credentials: request shapes', () => {
  it('client_secret_basic form-urlencodes id and secret before base64 (RFC 6749 §2.3.1)', async () => {
    const encoded = Buffer.from(`client%3A1:${encodeURIComponent('p@ss word').replace(/%20/g, '+')}`).toString('base64');
    const scope = nock(TOKEN_HOST, { reqheaders: { authorization: `Basic ${encoded}` } })
      .post('/oauth2/token', 'grant_type=client_credentials')
      .reply(200, { access_token: 'x', token_type: 'bearer', expires_in: 60 });
    await provider(oauth2({ clientId: 'client:1', secret: 'p@ss word' })).fetchToken();
    scope.done();
  });

  it('client_secret_post sends the credentials in the body and no Authorization header', async () => {
    const scope = nock(TOKEN_HOST, { badheaders: ['authorization'] })
      .post('/oauth2/token', (body: Record<string, string>) => body['client_id'] === 'client-1' && body['client_secret'] === SECRET)
      .reply(200, { access_token: 'x', token_type: 'Bearer', expires_in: 60 });
    await provider(oauth2({ clientAuth: 'client_secret_post' })).fetchToken();
    scope.done();
  });

  it('sends scope, audience, each resource (RFC 8707) and extra parameters', async () => {
    let form: URLSearchParams | undefined;
    nock(TOKEN_HOST)
      .post('/oauth2/token', (body: unknown) => {
        form = formOf(body);
        return true;
      })
      .reply(200, { access_token: 'x', token_type: 'Bearer', expires_in: 60 });
    await provider(
      oauth2({ scope: ['orders:read', 'orders:write'], audience: 'https://api.example.com', resource: ['https://a.example.com/', 'https://b.example.com/'], extraParams: { tenant: 't1' } }),
    ).fetchToken();
    expect(form?.get('scope')).toBe('orders:read orders:write');
    expect(form?.get('audience')).toBe('https://api.example.com');
    expect(form?.getAll('resource')).toEqual(['https://a.example.com/', 'https://b.example.com/']);
    expect(form?.get('tenant')).toBe('t1');
  });

  it('private_key_jwt signs an RFC 7523 assertion with the client key, for the token endpoint', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    let assertion = '';
    nock(TOKEN_HOST)
      .post('/oauth2/token', (body: Record<string, string>) => {
        assertion = body['client_assertion'] ?? '';
        return body['client_assertion_type'] === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' && body['client_id'] === 'client-1';
      })
      .reply(200, { access_token: 'x', token_type: 'Bearer', expires_in: 60 });
    await provider(oauth2({ secret: undefined, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, privateKeyId: 'k1' })).fetchToken();
    const key = await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }) as string, 'RS256');
    const { payload, protectedHeader } = await jwtVerify(assertion, key, { audience: `${TOKEN_HOST}/oauth2/token`, issuer: 'client-1', subject: 'client-1' });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: 'k1' });
    expect(typeof payload.jti).toBe('string');
    expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(60);
  });

  it('rejects an unusable private key at configuration, without quoting it', () => {
    expect(() => provider(oauth2({ secret: undefined, privateKey: '-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----' }))).toThrow(
      expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION, message: expect.not.stringContaining('not-a-key') }),
    );
  });
});

describe('expiry', () => {
  it('reads expires_in as seconds (not milliseconds)', async () => {
    nock(TOKEN_HOST).post('/oauth2/token').reply(200, { access_token: 'x', token_type: 'Bearer', expires_in: 120 });
    const token = await provider(oauth2()).fetchToken();
    expect(token.expiresAt - token.issuedAt).toBe(120_000);
  });

  it("falls back to the JWT's exp when expires_in is absent", async () => {
    const exp = Math.floor(Date.now() / 1000) + 900;
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(new Uint8Array(32));
    nock(TOKEN_HOST).post('/oauth2/token').reply(200, { access_token: jwt, token_type: 'Bearer' });
    const token = await provider(oauth2()).fetchToken();
    expect(token.expiresAt).toBe(exp * 1000);
  });

  it("ends the token at the JWT's exp when it comes before sent + expires_in (issuers round exp down)", async () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(new Uint8Array(32));
    nock(TOKEN_HOST).post('/oauth2/token').reply(200, { access_token: jwt, token_type: 'Bearer', expires_in: 61 });
    const token = await provider(oauth2()).fetchToken();
    expect(token.expiresAt).toBe(exp * 1000);
    expect(token.expiresAt).toBeLessThan(token.issuedAt + 61_000);
  });

  it('falls back to defaultLifetimeSec for an opaque token without expires_in', async () => {
    nock(TOKEN_HOST).post('/oauth2/token').reply(200, { access_token: 'opaque', token_type: 'Bearer' });
    const token = await provider(oauth2({ defaultLifetimeSec: 42 })).fetchToken();
    expect(token.expiresAt - token.issuedAt).toBe(42_000);
  });
});

describe('bad answers from the token server, each a typed error', () => {
  it('refused connection → MCA_TOKEN_ENDPOINT_UNREACHABLE', async () => {
    nock.enableNetConnect('127.0.0.1');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await failure(provider(oauth2({ tokenEndpoint: `http://127.0.0.1:${port}/token` })).fetchToken());
    expect(error.code).toBe(McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE);
    expect(error.message).toContain('ECONNREFUSED');
    nock.disableNetConnect();
  });

  it('connection reset → MCA_TOKEN_ENDPOINT_UNREACHABLE', async () => {
    nock(TOKEN_HOST).post('/oauth2/token').replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expect((await failure(provider(oauth2()).fetchToken())).code).toBe(McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE);
  });

  it('never answering → MCA_TOKEN_TIMEOUT after timeoutMs', async () => {
    nock(TOKEN_HOST).post('/oauth2/token').delay(5_000).reply(200, { access_token: 'late', token_type: 'Bearer' });
    const error = await failure(provider(oauth2({ timeoutMs: 50 })).fetchToken());
    expect(error.code).toBe(McaErrorCodes.TOKEN_TIMEOUT);
  });

  it('HTML 502 → MCA_TOKEN_HTTP_ERROR with the status', async () => {
    nock(TOKEN_HOST).post('/oauth2/token').reply(502, '<html><body>Bad gateway</body></html>', { 'content-type': 'text/html' });
    const error = await failure(provider(oauth2()).fetchToken());
    expect(error).toMatchObject({ code: McaErrorCodes.TOKEN_HTTP_ERROR, status: 502 });
  });

  it('non-JSON 200 → MCA_TOKEN_INVALID_RESPONSE (the seed crashed the process)', async () => {
    nock(TOKEN_HOST).post('/oauth2/token').reply(200, 'OK', { 'content-type': 'text/plain' });
    expect((await failure(provider(oauth2()).fetchToken())).code).toBe(McaErrorCodes.TOKEN_INVALID_RESPONSE);
  });

  it.each([
    ['without access_token', { token_type: 'Bearer', expires_in: 60 }],
    ['with an empty access_token', { access_token: '', token_type: 'Bearer' }],
    ['with an access_token containing CR/LF', { access_token: 'abc\r\nX-Injected: 1', token_type: 'Bearer' }],
    ['with an access_token containing a space', { access_token: 'abc def', token_type: 'Bearer' }],
    ['with expires_in negative', { access_token: 'x', token_type: 'Bearer', expires_in: -5 }],
    ['with expires_in zero', { access_token: 'x', token_type: 'Bearer', expires_in: 0 }],
    ['with expires_in a string', { access_token: 'x', token_type: 'Bearer', expires_in: '3600' }],
    ['with expires_in absurdly large', { access_token: 'x', token_type: 'Bearer', expires_in: 3_600_000_000 }],
    ['with token_type mac', { access_token: 'x', token_type: 'mac', expires_in: 60 }],
    ['without token_type (OAuth 2.0 requires it)', { access_token: 'x', expires_in: 60 }],
    ['a JSON array', [1, 2]],
  ])('JSON %s → MCA_TOKEN_INVALID_RESPONSE', async (_label, body) => {
    nock(TOKEN_HOST).post('/oauth2/token').reply(200, body as nock.Body);
    expect((await failure(provider(oauth2()).fetchToken())).code).toBe(McaErrorCodes.TOKEN_INVALID_RESPONSE);
  });

  it('400 invalid_client → MCA_TOKEN_OAUTH_ERROR carrying the error body (RFC 6749 §5.2)', async () => {
    nock(TOKEN_HOST).post('/oauth2/token').reply(400, { error: 'invalid_client', error_description: 'Client authentication failed' });
    const error = await failure(provider(oauth2()).fetchToken());
    expect(error).toMatchObject({ code: McaErrorCodes.TOKEN_OAUTH_ERROR, status: 400, oauthError: { error: 'invalid_client', error_description: 'Client authentication failed' } });
    expect(error.message).toContain('invalid_client');
  });

  it('401 without a body → MCA_TOKEN_HTTP_ERROR with status 401', async () => {
    nock(TOKEN_HOST).post('/oauth2/token').reply(401, '', { 'www-authenticate': 'Basic realm="x"' });
    expect(await failure(provider(oauth2()).fetchToken())).toMatchObject({ code: McaErrorCodes.TOKEN_HTTP_ERROR, status: 401 });
  });

  it.each([429, 503])('%i with Retry-After → the wait is on the error (retryAfterMs)', async (status) => {
    nock(TOKEN_HOST).post('/oauth2/token').reply(status, 'busy', { 'retry-after': '7' });
    expect(await failure(provider(oauth2()).fetchToken())).toMatchObject({ code: McaErrorCodes.TOKEN_HTTP_ERROR, status, retryAfterMs: 7000 });
  });

  it('a body over 1 MiB is not buffered: MCA_TOKEN_INVALID_RESPONSE', async () => {
    nock(TOKEN_HOST).post('/oauth2/token').reply(200, 'x'.repeat(2 * 1024 * 1024));
    expect((await failure(provider(oauth2()).fetchToken())).code).toBe(McaErrorCodes.TOKEN_INVALID_RESPONSE);
  });

  it('never puts the secret in an error message, util.inspect or JSON of the error', async () => {
    nock(TOKEN_HOST).post('/oauth2/token').reply(400, { error: 'invalid_client' });
    const error = await failure(provider(oauth2()).fetchToken());
    for (const text of [error.message, inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)]) {
      expect(text).not.toContain(SECRET);
    }
  });
});

describe('discovery', () => {
  const issuer = 'https://idp.example.com/tenant-a';
  const metadata = { issuer, token_endpoint: 'https://idp.example.com/tenant-a/oauth/token' };

  it('finds the token endpoint from RFC 8414 metadata (well-known between host and path)', async () => {
    nock('https://idp.example.com').get('/.well-known/oauth-authorization-server/tenant-a').reply(200, metadata);
    nock('https://idp.example.com').post('/tenant-a/oauth/token').reply(200, { access_token: 'd', token_type: 'Bearer', expires_in: 60 });
    expect((await provider({ issuer, clientId: 'c', secret: SECRET }).fetchToken()).authorization).toBe('Bearer d');
  });

  it('falls back to OpenID Connect discovery when the RFC 8414 document is missing', async () => {
    nock('https://idp.example.com').get('/.well-known/oauth-authorization-server/tenant-a').reply(404);
    nock('https://idp.example.com').get('/tenant-a/.well-known/openid-configuration').reply(200, metadata);
    nock('https://idp.example.com').post('/tenant-a/oauth/token').reply(200, { access_token: 'o', token_type: 'Bearer', expires_in: 60 });
    expect((await provider({ issuer, clientId: 'c', secret: SECRET }).fetchToken()).authorization).toBe('Bearer o');
  });

  it('fails with MCA_DISCOVERY_FAILED when both documents are missing', async () => {
    nock('https://idp.example.com').get('/.well-known/oauth-authorization-server/tenant-a').reply(404);
    nock('https://idp.example.com').get('/tenant-a/.well-known/openid-configuration').reply(404);
    expect((await failure(provider({ issuer, clientId: 'c', secret: SECRET }).fetchToken())).code).toBe(McaErrorCodes.DISCOVERY_FAILED);
  });

  it('fails with MCA_DISCOVERY_FAILED on an invalid document', async () => {
    nock('https://idp.example.com').get('/.well-known/oauth-authorization-server/tenant-a').reply(200, '{"issuer": ');
    expect((await failure(provider({ issuer, clientId: 'c', secret: SECRET }).fetchToken())).code).toBe(McaErrorCodes.DISCOVERY_FAILED);
  });

  it('fails with MCA_DISCOVERY_FAILED when the issuer does not match (RFC 8414 §3.3), and sends no token request', async () => {
    nock('https://idp.example.com').get('/.well-known/oauth-authorization-server/tenant-a').reply(200, { ...metadata, issuer: 'https://evil.test/tenant-a' });
    const error = await failure(provider({ issuer, clientId: 'c', secret: SECRET }).fetchToken());
    expect(error.code).toBe(McaErrorCodes.DISCOVERY_FAILED);
    expect(error.message).toContain('§3.3');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('retries discovery on the next fetch after a failure, instead of remembering it', async () => {
    const configured = provider({ issuer, clientId: 'c', secret: SECRET });
    nock('https://idp.example.com').get('/.well-known/oauth-authorization-server/tenant-a').reply(500);
    await failure(configured.fetchToken());
    nock('https://idp.example.com').get('/.well-known/oauth-authorization-server/tenant-a').reply(200, metadata);
    nock('https://idp.example.com').post('/tenant-a/oauth/token').reply(200, { access_token: 'r', token_type: 'Bearer', expires_in: 60 });
    expect((await configured.fetchToken()).authorization).toBe('Bearer r');
  });
});
