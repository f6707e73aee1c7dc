/** The token-exchange request (RFC 8693 §2.1) for every client authentication method, and the checks of its answer (§2.2). */
import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { decodeJwt, SignJWT } from 'jose';
import { createStamper } from '../../src/stamping/stamper.js';
import { onBehalfOf } from '../../src/exchange/on-behalf-of.js';
import { McaErrorCodes } from '../../src/errors/index.js';
import type { McaOptions } from '../../src/config/options.js';
import { useNock } from '../support/use-nock.js';
import { failureOf } from '../support/failure-of.js';

const AUTH = 'https://auth.example.com';
const API = 'https://ledger.example.com/api/';
const SECRET = 'S3cr3t-value-never-shown';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const SUBJECT = 'user-token-of-alice-abcdef0123456789';

function options(extra: Partial<McaOptions> = {}, exchange: Record<string, string> = {}): McaOptions {
  return {
    routes: [{ match: API, exchange, audience: 'ledger', scope: 'read', resource: 'https://ledger.example.com/' }],
    tokenEndpoint: `${AUTH}/token`,
    clientId: 'client-1',
    secret: SECRET,
    cacheSize: 10,
    env: {},
    ...extra,
  };
}

function formOf(body: unknown): URLSearchParams {
  if (typeof body === 'string') return new URLSearchParams(body);
  return new URLSearchParams(body as Record<string, string>);
}

const exchanged = (extra: Record<string, unknown> = {}) => ({
  access_token: 'exchanged-token',
  issued_token_type: ACCESS_TOKEN_TYPE,
  token_type: 'Bearer',
  expires_in: 300,
  ...extra,
});

useNock();

describe('the exchange request', () => {
  it('sends the grant, the subject, its default type, and the route’s audience, resource and scope, with Basic', async () => {
    let form: URLSearchParams | undefined;
    const scope = nock(AUTH, { reqheaders: { authorization: `Basic ${Buffer.from(`client-1:${SECRET}`).toString('base64')}` } })
      .post('/token', (body) => ((form = formOf(body)), true))
      .reply(200, exchanged());
    const stamper = createStamper(options());
    await expect(onBehalfOf(SUBJECT, () => stamper.authorizationFor(`${API}x`))).resolves.toBe('Bearer exchanged-token');
    scope.done();
    expect(Object.fromEntries(form!)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: SUBJECT,
      subject_token_type: ACCESS_TOKEN_TYPE,
      scope: 'read',
      audience: 'ledger',
      resource: 'https://ledger.example.com/',
    });
  });

  it('sends the configured subject and requested token types', async () => {
    let form: URLSearchParams | undefined;
    nock(AUTH).post('/token', (body) => ((form = formOf(body)), true)).reply(200, exchanged());
    const stamper = createStamper(options({}, { subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt', requestedTokenType: ACCESS_TOKEN_TYPE }));
    await onBehalfOf(SUBJECT, () => stamper.authorizationFor(`${API}x`));
    expect(form!.get('subject_token_type')).toBe('urn:ietf:params:oauth:token-type:jwt');
    expect(form!.get('requested_token_type')).toBe(ACCESS_TOKEN_TYPE);
  });

  it('authenticates with client_secret_post', async () => {
    let form: URLSearchParams | undefined;
    nock(AUTH).post('/token', (body) => ((form = formOf(body)), true)).reply(200, exchanged());
    const stamper = createStamper(options({ clientAuth: 'client_secret_post' }));
    await onBehalfOf(SUBJECT, () => stamper.authorizationFor(`${API}x`));
    expect(form!.get('client_id')).toBe('client-1');
    expect(form!.get('client_secret')).toBe(SECRET);
    expect(form!.get('subject_token')).toBe(SUBJECT);
  });

  it('authenticates with private_key_jwt', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    let form: URLSearchParams | undefined;
    nock(AUTH).post('/token', (body) => ((form = formOf(body)), true)).reply(200, exchanged());
    const stamper = createStamper(options({ secret: undefined, privateKey }));
    await onBehalfOf(SUBJECT, () => stamper.authorizationFor(`${API}x`));
    expect(form!.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(decodeJwt(form!.get('client_assertion')!).aud).toBe(`${AUTH}/token`);
    expect(form!.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
  });
});

describe('the exchange answer', () => {
  it.each<[string, Record<string, unknown>]>([
    ['without issued_token_type', { issued_token_type: undefined }],
    ['with token_type N_A for a token that is not an access token', { token_type: 'N_A', issued_token_type: 'urn:ietf:params:oauth:token-type:id_token' }],
    ['with token_type DPoP', { token_type: 'DPoP' }],
    ['without token_type', { token_type: undefined }],
  ])('%s: MCA_TOKEN_INVALID_RESPONSE', async (_label, change) => {
    nock(AUTH).post('/token').reply(200, exchanged(change));
    const stamper = createStamper(options());
    const error = await failureOf(onBehalfOf(SUBJECT, () => stamper.authorizationFor(`${API}x`)));
    expect(error.code).toBe(McaErrorCodes.TOKEN_INVALID_RESPONSE);
  });

  it('token_type N_A with an access-token issued type is used as a bearer (RFC 8693 §2.2.1)', async () => {
    nock(AUTH).post('/token').reply(200, exchanged({ token_type: 'N_A' }));
    const stamper = createStamper(options());
    await expect(onBehalfOf(SUBJECT, () => stamper.authorizationFor(`${API}x`))).resolves.toBe('Bearer exchanged-token');
  });

  it('invalid_grant is MCA_TOKEN_OAUTH_ERROR, with the subject token redacted from what the server echoed', async () => {
    nock(AUTH).post('/token').reply(400, { error: 'invalid_grant', error_description: `subject ${SUBJECT} is revoked` });
    const stamper = createStamper(options());
    const error = await failureOf(onBehalfOf(SUBJECT, () => stamper.authorizationFor(`${API}x`)));
    expect(error.code).toBe(McaErrorCodes.TOKEN_OAUTH_ERROR);
    expect(error.oauthError?.error).toBe('invalid_grant');
    expect(`${error.message} ${JSON.stringify(error.oauthError)}`).not.toContain(SUBJECT);
  });

  it('is capped at the subject JWT’s exp', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const exp = Math.floor(Date.now() / 1000) + 60;
    const subject = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'ES256' }).setExpirationTime(exp).sign(privateKey);
    nock(AUTH).post('/token').reply(200, exchanged({ expires_in: 3600 }));
    const events: { expiresAt: number }[] = [];
    const diagnostics = await import('node:diagnostics_channel');
    const listener = (message: unknown) => events.push(message as { expiresAt: number });
    diagnostics.subscribe('mca-oauth:token:end', listener);
    try {
      await onBehalfOf(subject, () => createStamper(options()).authorizationFor(`${API}x`));
    } finally {
      diagnostics.unsubscribe('mca-oauth:token:end', listener);
    }
    expect(events.map((event) => event.expiresAt)).toEqual([exp * 1000]);
  });

  it('an expired subject JWT is refused without a token request: MCA_INVALID_SUBJECT_TOKEN', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const subject = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'ES256' }).setExpirationTime(Math.floor(Date.now() / 1000) - 5).sign(privateKey);
    const stamper = createStamper(options());
    const error = await failureOf(onBehalfOf(subject, () => stamper.authorizationFor(`${API}x`)));
    expect(error.code).toBe(McaErrorCodes.INVALID_SUBJECT_TOKEN);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('the exchange option', () => {
  it('exchange at the top level: MCA_UNKNOWN_OPTION (it is a route option)', () => {
    const given = { match: API, exchange: {}, tokenEndpoint: `${AUTH}/token`, clientId: 'c', secret: 's', env: {} } as McaOptions;
    expect(() => createStamper(given)).toThrow(expect.objectContaining({ code: McaErrorCodes.UNKNOWN_OPTION, message: expect.stringContaining("'exchange'") }));
  });

  it.each<[string, McaOptions, string]>([
    ['exchange that is not an object', options({ routes: [{ match: API, exchange: 'yes' as never }] }), "'routes[0].exchange' must be an object"],
    ['a subjectTokenType that is not a string', options({ routes: [{ match: API, exchange: { subjectTokenType: 7 as never } }] }), "'routes[0].exchange.subjectTokenType' must be a string"],
    ['exchange on the MCA protocol', { routes: [{ match: API, exchange: {} }], serverUrl: AUTH, appId: 'a', clientId: 'c', secret: 's', env: {} }, 'MCA protocol has no token exchange'],
  ])('%s: MCA_INVALID_OPTION naming it', (_label, given, message) => {
    expect(() => createStamper(given)).toThrow(expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION, message: expect.stringContaining(message) }));
  });
});
