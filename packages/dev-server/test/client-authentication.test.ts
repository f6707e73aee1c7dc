import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { DEFAULT_CLIENT, JWT_BEARER_ASSERTION_TYPE, startDevServer, type DevServer } from '../src/index.js';
import { CLIENT_CREDENTIALS, claimsOf, formBasic, postForm, rawBasic, type Answer } from './helpers.js';

// A secret with characters that form-urlencoding changes, so raw and encoded Basic differ.
const ODD_SECRET = 'p%2B+s s:w/rd';

describe('client authentication at the OAuth token endpoint', () => {
  let server: DevServer;
  let ecKey: KeyLike;
  let rsaPem: { privateKey: KeyLike; publicPem: string };
  let strangerKey: KeyLike;

  beforeAll(async () => {
    const ec = await generateKeyPair('ES256');
    ecKey = ec.privateKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    rsaPem = { privateKey: rsa.privateKey, publicPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    strangerKey = (await generateKeyPair('ES256')).privateKey;
    server = await startDevServer({
      clients: [
        DEFAULT_CLIENT,
        { id: 'odd', secret: ODD_SECRET },
        { id: 'jwk-client', publicKey: await exportJWK(ec.publicKey) },
        { id: 'pem-client', publicKey: rsaPem.publicPem },
      ],
    });
  });
  afterAll(() => server.close());

  async function assertion(
    key: KeyLike,
    alg: string,
    claims: { iss?: string; sub?: string; aud?: string | string[]; jti?: string | null; exp?: number },
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = { iss: claims.iss, sub: claims.sub ?? claims.iss, aud: claims.aud ?? server.tokenEndpoint, exp: claims.exp ?? now + 60, iat: now };
    if (claims.jti !== null) payload.jti = claims.jti ?? randomUUID();
    return new SignJWT(payload).setProtectedHeader({ alg }).sign(key);
  }

  function withAssertion(jwt: string, extra: Record<string, string> = {}): Promise<Answer> {
    return postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: jwt, ...extra });
  }

  it('accepts-raw-basic-credentials-as-the-mca-sdk-sent-them', async () => {
    const answer = await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: rawBasic('odd', ODD_SECRET) });
    expect(answer.status).toBe(200);
    expect(claimsOf(answer.json.access_token).sub).toBe('odd');
  });

  it('accepts-rfc6749-form-urlencoded-basic-credentials', async () => {
    const answer = await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: formBasic('odd', ODD_SECRET) });
    expect(answer.status).toBe(200);
  });

  it('answers-401-invalid-client-with-a-basic-challenge-for-a-wrong-secret', async () => {
    const answer = await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: rawBasic('odd', 'wrong') });
    expect(answer.status).toBe(401);
    expect(answer.json.error).toBe('invalid_client');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Basic realm="/);
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('answers-401-invalid-client-without-a-basic-challenge-for-a-wrong-posted-secret', async () => {
    const answer = await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, client_id: 'odd', client_secret: 'wrong' });
    expect(answer.status).toBe(401);
    expect(answer.json.error).toBe('invalid_client');
    expect(answer.headers.get('www-authenticate')).toBeNull();
  });

  it('answers-401-for-malformed-basic-credentials-and-foreign-schemes', async () => {
    for (const authorization of ['Basic !!!not-base64', `Basic ${Buffer.from('no-colon').toString('base64')}`, 'Basic', 'Bearer abc']) {
      const answer = await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization });
      expect([authorization, answer.status, answer.json.error]).toEqual([authorization, 401, 'invalid_client']);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Basic /);
    }
  });

  it('answers-401-when-no-client-authentication-is-sent', async () => {
    const answer = await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS);
    expect(answer.status).toBe(401);
    expect(answer.json.error).toBe('invalid_client');
  });

  it('refuses-two-authentication-methods-in-one-request', async () => {
    const answer = await postForm(
      server.tokenEndpoint,
      { ...CLIENT_CREDENTIALS, client_id: 'odd', client_secret: ODD_SECRET },
      { authorization: rawBasic('odd', ODD_SECRET) },
    );
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_request');
  });

  it('accepts-private-key-jwt-with-a-jwk-registered-key-and-the-token-endpoint-as-audience', async () => {
    const answer = await withAssertion(await assertion(ecKey, 'ES256', { iss: 'jwk-client' }));
    expect(answer.status).toBe(200);
    expect(claimsOf(answer.json.access_token).client_id).toBe('jwk-client');
  });

  it('accepts-private-key-jwt-with-a-pem-registered-key-and-the-issuer-as-audience', async () => {
    const answer = await withAssertion(await assertion(rsaPem.privateKey, 'RS256', { iss: 'pem-client', aud: server.issuer }), { client_id: 'pem-client' });
    expect(answer.status).toBe(200);
  });

  it('rejects-a-replayed-client-assertion-jti', async () => {
    const jwt = await assertion(ecKey, 'ES256', { iss: 'jwk-client' });
    expect((await withAssertion(jwt)).status).toBe(200);
    const replay = await withAssertion(jwt);
    expect(replay.status).toBe(401);
    expect(replay.json).toMatchObject({ error: 'invalid_client', error_description: expect.stringContaining('already used') });
  });

  it('rejects-client-assertions-that-break-rfc7523-section-3', async () => {
    const past = Math.floor(Date.now() / 1000) - 120;
    const cases: [string, Promise<string>][] = [
      ['wrong audience', assertion(ecKey, 'ES256', { iss: 'jwk-client', aud: 'https://elsewhere.example' })],
      ['sub differs from iss', assertion(ecKey, 'ES256', { iss: 'jwk-client', sub: 'someone-else' })],
      ['expired', assertion(ecKey, 'ES256', { iss: 'jwk-client', exp: past })],
      ['no jti', assertion(ecKey, 'ES256', { iss: 'jwk-client', jti: null })],
      ['signed by another key', assertion(strangerKey, 'ES256', { iss: 'jwk-client' })],
      ['client without a key', assertion(ecKey, 'ES256', { iss: 'odd' })],
      ['unknown client', assertion(ecKey, 'ES256', { iss: 'nobody' })],
    ];
    for (const [name, jwt] of cases) {
      const answer = await withAssertion(await jwt);
      expect([name, answer.status, answer.json.error]).toEqual([name, 401, 'invalid_client']);
    }
    const notAJwt = await withAssertion('not-a-jwt');
    expect(notAJwt.status).toBe(401);
  });

  it('rejects-a-client-id-that-differs-from-the-assertion-issuer', async () => {
    const answer = await withAssertion(await assertion(ecKey, 'ES256', { iss: 'jwk-client' }), { client_id: 'pem-client' });
    expect(answer.status).toBe(401);
    expect(answer.json.error).toBe('invalid_client');
  });

  it('rejects-an-unknown-client-assertion-type-as-invalid-request', async () => {
    const jwt = await assertion(ecKey, 'ES256', { iss: 'jwk-client' });
    const answer = await withAssertion(jwt, { client_assertion_type: 'urn:example:saml' });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_request');
  });

  it('refuses-bad-client-configuration-with-a-typeerror', async () => {
    await expect(startDevServer({ clients: [{ id: 'a:b', secret: 's' }] })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    await expect(startDevServer({ clients: [{ id: 'no-credentials' }] })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    await expect(startDevServer({ clients: [{ id: 'bad-key', publicKey: 'not a pem' }] })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
      message: expect.stringContaining('publicKey'),
    });
  });
});
