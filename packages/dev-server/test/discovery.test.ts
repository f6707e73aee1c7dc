import { startDevServer, type DevServer } from '../src/index.js';
import { get, send } from './helpers.js';

describe('discovery documents and JWKS', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer();
  });
  afterAll(() => server.close());

  it('serves-rfc8414-metadata-whose-issuer-is-the-server-url', async () => {
    expect(server.metadataUrl).toBe(`${server.url}/.well-known/oauth-authorization-server`);
    const answer = await get(server.metadataUrl);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.json).toMatchObject({
      issuer: server.issuer,
      token_endpoint: server.tokenEndpoint,
      jwks_uri: server.jwksUri,
      grant_types_supported: ['client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    });
    expect(answer.json.issuer).toBe(server.url);
  });

  it('serves-the-openid-configuration-with-the-same-endpoints', async () => {
    const metadata = await get(server.metadataUrl);
    const openid = await get(server.openidConfigurationUrl);
    expect(openid.status).toBe(200);
    expect(openid.json).toMatchObject(metadata.json);
    expect(openid.json.subject_types_supported).toEqual(['public']);
  });

  it('serves-public-keys-only-in-the-jwks', async () => {
    const answer = await get(server.jwksUri);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual(server.jwks);
    for (const key of answer.json.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
      expect(key.d).toBeUndefined();
    }
  });

  it('counts-discovery-and-jwks-fetches', async () => {
    server.stats.reset();
    await get(server.metadataUrl);
    await get(server.openidConfigurationUrl);
    await get(server.jwksUri);
    await get(server.mcaPublicKeyEndpoint('t'));
    expect(server.stats.snapshot()).toMatchObject({ discoveryRequests: 2, jwksRequests: 2 });
  });

  it('answers-405-to-a-post-and-404-to-an-unknown-path', async () => {
    expect((await send(server.metadataUrl, { method: 'POST' })).status).toBe(405);
    expect((await get(`${server.url}/nope`)).status).toBe(404);
  });
});
