import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import nock from 'nock';
import { McaErrorCodes } from '../../src/errors/index.js';
import { getAuthorizationHeader, getAuthorizationHeaderBySecret } from '../../src/seed/seed-api.js';
import { getAuthorizationHeaderFromIncomingRequest } from '../../src/stamping/incoming-authorization.js';
import { useNock } from '../support/use-nock.js';

useNock();

describe('getAuthorizationHeader, as the seed documented it', () => {
  it("runs the seed's documented sample and caches (one token request for two calls)", async () => {
    const server = nock('https://mca.example.com').post('/authorization/v1/apps/sample-app/token', 'grant_type=client_credentials').once().reply(200, {
      access_token: 'sample-token',
      token_type: 'Bearer',
      expires_in: 3600,
    });
    const options = { cacheSize: 100, appId: 'sample-app', clientId: 'clientId', secret: 'secret', serverUrl: 'https://mca.example.com' };
    expect(await getAuthorizationHeader(options)).toBe('Bearer sample-token');
    expect(await getAuthorizationHeaderBySecret(options)).toBe('Bearer sample-token');
    server.done();
  });

  it('reads VCAP_SERVICES when no options are given', async () => {
    nock('https://vcap-mca.example.com').post('/authorization/v1/apps/vcap-tenant/token').reply(200, { access_token: 'from-vcap', expires_in: 60 });
    const env = {
      VCAP_SERVICES: JSON.stringify({ AdvancedMobileAccess: [{ credentials: { clientId: 'c', secret: 's', serverUrl: 'https://vcap-mca.example.com', tenantId: 'vcap-tenant' } }] }),
    };
    expect(await getAuthorizationHeader({ env })).toBe('Bearer from-vcap');
  });

  it('rejects (never throws synchronously) with the seed code for a missing option', async () => {
    const pending = getAuthorizationHeader({ clientId: 'c', secret: 's', serverUrl: 'https://m.example.com', env: {} });
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toMatchObject({ code: McaErrorCodes.MISSING_APPID_ERROR });
  });

  it('reports a token failure as TOKEN_GENERATE_ERROR, with the precise McaError as its cause', async () => {
    nock('https://down-mca.example.com').post('/authorization/v1/apps/a/token').reply(200, 'not json');
    const error = await getAuthorizationHeader({ appId: 'a', clientId: 'c', secret: 's', serverUrl: 'https://down-mca.example.com', env: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: McaErrorCodes.TOKEN_GENERATE_ERROR, cause: { code: McaErrorCodes.TOKEN_INVALID_RESPONSE } });
  });
});

describe('getAuthorizationHeader and DPoP', () => {
  it('stays a bearer header: MCA_DPOP and MCA_DPOP_KEY_FILE are for the adapters, and the dpop option is refused', async () => {
    const scope = nock('https://seed-dpop.example.com', { badheaders: ['dpop'] })
      .post('/authorization/v1/apps/app/token')
      .once()
      .reply(200, { access_token: 'seed-bearer', token_type: 'Bearer', expires_in: 60 });
    const options = { appId: 'app', clientId: 'c', secret: 's', serverUrl: 'https://seed-dpop.example.com' };
    const env = { MCA_DPOP: 'true', MCA_DPOP_KEY_FILE: '/nonexistent/dpop-key.pem' };
    expect(await getAuthorizationHeader({ ...options, env })).toBe('Bearer seed-bearer');
    scope.done();
    await expect(getAuthorizationHeader({ ...options, dpop: true })).rejects.toMatchObject({ code: McaErrorCodes.INVALID_OPTION });
  });
});

describe('getAuthorizationHeaderFromIncomingRequest', () => {
  function incoming(headers: Record<string, string>): IncomingMessage {
    const message = new IncomingMessage(new Socket());
    message.headers = headers;
    return message;
  }

  it('returns the bearer value of a Node IncomingMessage', () => {
    expect(getAuthorizationHeaderFromIncomingRequest(incoming({ authorization: 'Bearer abc.def' }))).toBe('Bearer abc.def');
  });

  it('accepts the MCA form with an id token after the access token', () => {
    expect(getAuthorizationHeaderFromIncomingRequest(incoming({ authorization: 'Bearer access id' }))).toBe('Bearer access id');
  });

  it('reads a Fetch Request, Headers, and a plain object in any case', () => {
    expect(getAuthorizationHeaderFromIncomingRequest(new Request('https://x.example.com', { headers: { Authorization: 'bearer t1' } }))).toBe('bearer t1');
    expect(getAuthorizationHeaderFromIncomingRequest(new Headers({ authorization: 'Bearer t2' }))).toBe('Bearer t2');
    expect(getAuthorizationHeaderFromIncomingRequest({ AUTHORIZATION: 'Bearer t3' })).toBe('Bearer t3');
  });

  it.each([
    ['absent', {}],
    ['Basic credentials', { authorization: 'Basic dXNlcjpwdw==' }],
    ['a bare scheme', { authorization: 'Bearer' }],
    ['three tokens', { authorization: 'Bearer a b c' }],
    ['non-ASCII', { authorization: 'Bearer tökén' }],
  ])('returns undefined for %s', (_label, headers) => {
    expect(getAuthorizationHeaderFromIncomingRequest(incoming(headers as Record<string, string>))).toBeUndefined();
  });

  it('returns undefined for nonsense input instead of throwing', () => {
    expect(getAuthorizationHeaderFromIncomingRequest(undefined)).toBeUndefined();
    expect(getAuthorizationHeaderFromIncomingRequest(null)).toBeUndefined();
    expect(getAuthorizationHeaderFromIncomingRequest(42 as unknown as Record<string, string>)).toBeUndefined();
  });
});
