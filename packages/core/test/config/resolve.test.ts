import { inspect } from 'node:util';
import { resolveTokenConfig, withPlatformDefaults } from '../../src/config/resolve.js';
import type { TokenOptions } from '../../src/config/options.js';
import { McaErrorCodes } from '../../src/errors/index.js';
import { createStamper } from '../../src/stamping/stamper.js';

const SECRET = 'vcap-Secret-0123456789';

const vcapServices = (credentials: Record<string, unknown>, key = 'AdvancedMobileAccess'): string =>
  JSON.stringify({ 'cloudantNoSQLDB': [{ credentials: { url: 'x' } }], [key]: [{ name: 'mca', credentials }, { credentials: { clientId: 'second' } }] });

const resolve = (options: TokenOptions, env: Record<string, string | undefined> = {}) => resolveTokenConfig(withPlatformDefaults(options, env));

const mcaCredentials = { clientId: 'vcap-client', secret: SECRET, serverUrl: 'https://mca.example.com', tenantId: 'vcap-tenant' };

describe('where each option comes from: options, then VCAP, then environment variables', () => {
  it('reads the first entry of the AdvancedMobileAccess service from VCAP_SERVICES', () => {
    const config = resolve({}, { VCAP_SERVICES: vcapServices(mcaCredentials) });
    expect(config).toMatchObject({ protocol: 'mca', clientId: 'vcap-client', appId: 'vcap-tenant' });
    expect(config.tokenEndpoint?.href).toBe('https://mca.example.com/authorization/v1/apps/vcap-tenant/token');
  });

  it('lets each given option override VCAP on its own', () => {
    const config = resolve({ clientId: 'explicit' }, { VCAP_SERVICES: vcapServices(mcaCredentials) });
    expect(config.clientId).toBe('explicit');
    expect(config.appId).toBe('vcap-tenant');
    expect(config.secret?.reveal()).toBe(SECRET);
  });

  it('falls back to VCAP_APPLICATION.application_id for appId', () => {
    const { tenantId: _omitted, ...withoutTenant } = mcaCredentials;
    const config = resolve({}, { VCAP_SERVICES: vcapServices(withoutTenant), VCAP_APPLICATION: JSON.stringify({ application_id: 'app-guid' }) });
    expect(config.appId).toBe('app-guid');
  });

  it('reads an AppID service and speaks plain OAuth 2.0 to {oauthServerUrl}/token', () => {
    const config = resolve({}, { VCAP_SERVICES: vcapServices({ clientId: 'appid-client', secret: SECRET, oauthServerUrl: 'https://appid.example.com/oauth/v4/t1' }, 'AppID') });
    expect(config.protocol).toBe('oauth2');
    expect(config.tokenEndpoint?.href).toBe('https://appid.example.com/oauth/v4/t1/token');
  });

  it('uses the documented environment variables when there is no VCAP', () => {
    const config = resolve({}, { MCA_CLIENT_ID: 'env-client', MCA_SECRET: SECRET, MCA_TOKEN_ENDPOINT: 'https://auth.example.com/token', MCA_SCOPE: 'a b' });
    expect(config).toMatchObject({ protocol: 'oauth2', clientId: 'env-client', scope: 'a b' });
  });

  it('prefers VCAP to the environment variables', () => {
    const config = resolve({}, { VCAP_SERVICES: vcapServices(mcaCredentials), MCA_CLIENT_ID: 'env-client' });
    expect(config.clientId).toBe('vcap-client');
  });
});

describe('bad configuration: a typed error, and never the secret', () => {
  it('malformed VCAP_SERVICES JSON → MCA_INVALID_VCAP, without quoting it', () => {
    const broken = `{"AdvancedMobileAccess":[{"credentials":{"secret":"${SECRET}"`;
    expect(() => resolve({}, { VCAP_SERVICES: broken })).toThrow(expect.objectContaining({ code: McaErrorCodes.INVALID_VCAP }));
    try {
      resolve({}, { VCAP_SERVICES: broken });
    } catch (error) {
      expect(inspect(error, { depth: 5 })).not.toContain(SECRET);
    }
  });

  it('VCAP_SERVICES without an MCA or AppID service → the seed code for the first missing option, saying where it looked', () => {
    expect(() => resolve({}, { VCAP_SERVICES: JSON.stringify({ cloudantNoSQLDB: [{ credentials: {} }] }), VCAP_APPLICATION: '{"application_id":"a"}' })).toThrow(
      expect.objectContaining({ code: McaErrorCodes.MISSING_CLIENTID_ERROR, message: expect.stringContaining('VCAP_SERVICES') }),
    );
  });

  it.each([
    [{ clientId: 'c', secret: 's', serverUrl: 'https://m.example.com' }, McaErrorCodes.MISSING_APPID_ERROR],
    [{ appId: 'a', secret: 's', serverUrl: 'https://m.example.com' }, McaErrorCodes.MISSING_CLIENTID_ERROR],
    [{ appId: 'a', clientId: 'c', serverUrl: 'https://m.example.com' }, McaErrorCodes.MISSING_SECRET_ERROR],
    [{ appId: 'a', clientId: 'c', secret: 's' }, McaErrorCodes.MISSING_SERVER_URL_ERROR],
    [{ protocol: 'oauth2', clientId: 'c', secret: 's' }, McaErrorCodes.MISSING_SERVER_URL_ERROR],
  ] as [TokenOptions, string][])('a missing option gives the seed code %#', (options, code) => {
    expect(() => resolve(options)).toThrow(expect.objectContaining({ code }));
  });

  it.each(['ftp://mca.example.com', 'not a url', '/relative/path', 'https://user:pw@mca.example.com', 'http://mca.example.com'])(
    'serverUrl %s → MCA_INVALID_OPTION naming serverUrl',
    (serverUrl) => {
      expect(() => resolve({ appId: 'a', clientId: 'c', secret: 's', serverUrl })).toThrow(
        expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION, message: expect.stringContaining("'serverUrl'") }),
      );
    },
  );

  it('allows plain http to a loopback token server, for development', () => {
    expect(resolve({ appId: 'a', clientId: 'c', secret: 's', serverUrl: 'http://127.0.0.1:9999' }).tokenEndpoint?.protocol).toBe('http:');
  });

  it.each([0, -1, 1.5, '10', Number.NaN])('cacheSize %p → MCA_INVALID_OPTION', (cacheSize) => {
    expect(() => createStamper({ match: 'https://api.example.com/', tokenEndpoint: 'https://a.example.com/t', clientId: 'c', secret: 's', cacheSize: cacheSize as number, env: {} })).toThrow(
      expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION, message: expect.stringContaining('cacheSize') }),
    );
  });

  it.each(['scope', 'audience', 'clientId', 'appId'])('CR/LF in %s is rejected at configuration', (option) => {
    const options = { appId: 'a', clientId: 'c', secret: 's', serverUrl: 'https://m.example.com', [option]: 'value\r\nX-Evil: 1' };
    expect(() => resolve(options)).toThrow(expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION, message: expect.stringContaining(option) }));
  });

  it('extraParams cannot override the parameters mca-oauth sets', () => {
    expect(() => resolve({ tokenEndpoint: 'https://a.example.com/t', clientId: 'c', secret: 's', extraParams: { grant_type: 'password' } })).toThrow(
      expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION }),
    );
  });
});

describe('prototype pollution and redaction', () => {
  it('ignores __proto__ and constructor in VCAP JSON and in options', () => {
    const hostile = `{"__proto__":{"polluted":true},"AdvancedMobileAccess":[{"credentials":{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"clientId":"c","secret":"s","serverUrl":"https://m.example.com","tenantId":"t"}}]}`;
    const options = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"y":1}}}') as TokenOptions;
    const config = resolve(options, { VCAP_SERVICES: hostile });
    expect(config.clientId).toBe('c');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('never shows the secret in util.inspect or JSON.stringify of the resolved configuration', () => {
    const config = resolve({ appId: 'a', clientId: 'c', secret: SECRET, serverUrl: 'https://m.example.com' });
    expect(inspect(config, { depth: 10, showHidden: true })).not.toContain(SECRET);
    expect(JSON.stringify(config)).not.toContain(SECRET);
  });
});

describe('the cache key holds everything that changes the token', () => {
  const base: TokenOptions = { tokenEndpoint: 'https://a.example.com/token', clientId: 'c', secret: 's', scope: 'a b' };
  it.each([
    ['scope', { scope: 'a' }],
    ['client id', { clientId: 'other' }],
    ['audience', { audience: 'https://api' }],
    ['resource', { resource: 'https://r.example.com/' }],
    ['token endpoint', { tokenEndpoint: 'https://b.example.com/token' }],
    ['client authentication', { clientAuth: 'client_secret_post' }],
  ] as [string, TokenOptions][])('differs when the %s differs', (_label, change) => {
    expect(resolve({ ...base, ...change }).cacheKey).not.toBe(resolve(base).cacheKey);
  });

  it('does not depend on the order of scopes', () => {
    expect(resolve({ ...base, scope: 'b a' }).cacheKey).toBe(resolve(base).cacheKey);
  });
});
