/** Issue #14 §4: an option name core does not know fails at creation, naming it, where it is, and what was meant. */
import { KNOWN_OPTION_NAMES, checkMcaOptionNames, checkOptionNames } from '../../src/config/known-options.js';
import { nearestName } from '../../src/config/nearest-name.js';
import type { McaOptions } from '../../src/config/options.js';
import { McaErrorCodes } from '../../src/errors/index.js';
import { getAuthorizationHeader } from '../../src/seed/seed-api.js';
import { createStamper } from '../../src/stamping/stamper.js';

const SECRET = 'unknown-options-Secret-value';
const valid: McaOptions = {
  match: 'https://orders.example.com/api/',
  tokenEndpoint: 'https://auth.example.com/token',
  clientId: 'client',
  secret: SECRET,
  cacheSize: 5,
  env: {},
};

function creationError(options: object): Error & { code?: string } {
  try {
    createStamper(options as McaOptions);
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('createStamper accepted the options');
}

describe('the mistakes named in the issue', () => {
  it.each([
    ['routes[1].tokenEndPoint', { routes: [{ match: 'https://a.example.com/' }, { match: 'https://b.example.com/', tokenEndPoint: 'https://auth.example.com/t' }] }, 'tokenEndpoint'],
    ['scopes', { scopes: ['orders'] }, 'scope'],
    ['timeoutMS', { timeoutMS: 5000 }, 'timeoutMs'],
    ['allowInsecureHTTP', { allowInsecureHTTP: true }, 'allowInsecureHttp'],
    ['overwriteAuthorisation', { overwriteAuthorisation: true }, 'overwriteAuthorization'],
  ])('refuses %s with MCA_UNKNOWN_OPTION and suggests the known name', (path, extra, suggestion) => {
    const error = creationError({ ...valid, ...extra });
    expect(error.code).toBe(McaErrorCodes.UNKNOWN_OPTION);
    expect(error.message).toContain(`'${path}'`);
    expect(error.message).toContain(`did you mean '${suggestion}'?`);
    expect(error.message).not.toContain(SECRET);
  });

  it('reports the typo, not the missing appId that the typo caused (MCA fallback)', () => {
    const { tokenEndpoint: _given, ...withoutEndpoint } = valid;
    const error = creationError({ ...withoutEndpoint, tokenEndPoint: 'https://auth.example.com/token' });
    expect(error).toMatchObject({ code: McaErrorCodes.UNKNOWN_OPTION });
    expect(error.message).toMatch(/'tokenEndPoint'.*'tokenEndpoint'/);
  });
});

describe('every level', () => {
  it.each([
    ['refreshAhead.lifetimeshare', { refreshAhead: { lifetimeshare: 0.5 } }, 'lifetimeShare'],
    ['backoff.maxDelay', { backoff: { maxDelay: 100 } }, 'maxDelayMs'],
    ['tls.CA', { tls: { CA: 'pem' } }, 'ca'],
    ['routes[0].tls.serverName', { routes: [{ match: 'https://a.example.com/', tls: { serverName: 'a' } }] }, 'servername'],
    ['dpop.private_key', { dpop: { private_key: 'pem' } }, 'privateKey'],
    ['routes[0].exchange.subjectTokenTyp', { routes: [{ match: 'https://a.example.com/', exchange: { subjectTokenTyp: 'x' } }] }, 'subjectTokenType'],
    ['routes[0].cacheSize', { routes: [{ match: 'https://a.example.com/', cacheSize: 3 }] }, undefined],
    ['token_endpoint', { token_endpoint: 'https://auth.example.com/token' }, 'tokenEndpoint'],
  ])('refuses %s', (path, extra, suggestion) => {
    const error = creationError({ ...valid, ...extra });
    expect(error.code).toBe(McaErrorCodes.UNKNOWN_OPTION);
    expect(error.message).toContain(`'${path}'`);
    if (suggestion !== undefined) expect(error.message).toContain(`did you mean '${suggestion}'?`);
    else expect(error.message).toContain("the options known here are 'match'");
  });

  it('accepts every name the other features of this wave add (proxy, tls, dpop, exchange, name)', () => {
    expect(() =>
      checkMcaOptionNames({
        ...valid,
        name: 'orders',
        proxy: false,
        tls: { ca: 'x', cert: 'x', key: 'x', passphrase: 'x', pfx: 'x', servername: 'x' },
        dpop: { privateKey: 'x', alg: 'ES256' },
        routes: [{ match: 'https://a.example.com/', name: 'a', exchange: { subjectTokenType: 'x', requestedTokenType: 'y' }, proxy: 'http://p:1', dpop: true }],
      }),
    ).not.toThrow();
  });

  it('keeps env, logger, cache and store known, and does not check the names inside them or inside extraParams', () => {
    expect(() =>
      checkMcaOptionNames({ ...valid, env: { ANY_NAME: 'x' }, logger: { anything: 1 }, extraParams: { tenant_hint: 'x' }, store: { whatever: 1 }, cache: {} }),
    ).not.toThrow();
  });

  it('refuses a nested option that is not an object', () => {
    expect(creationError({ ...valid, backoff: 5 })).toMatchObject({ code: McaErrorCodes.INVALID_OPTION, message: expect.stringContaining("'backoff'") });
    expect(creationError({ ...valid, refreshAhead: 'soon' })).toMatchObject({ code: McaErrorCodes.INVALID_OPTION });
  });

  it('checks only what the caller passes: unknown variables in env and VCAP are not options', () => {
    expect(() => createStamper({ ...valid, env: { MCA_TOKEN_ENDPOINTS: 'x', VCAP_SERVICES: JSON.stringify({ AppID: [{ credentials: { clientID: 'x' } }] }) } })).not.toThrow();
  });

  it('never lets a name forge a log line', () => {
    const error = creationError({ ...valid, 'x\nMCA: forged': 1 });
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain('\\n');
  });

  it('refuses unknown names in the seed API, as a rejection', async () => {
    await expect(getAuthorizationHeader({ clientId: 'c', secret: 's', tokenEndPoint: 'https://a.example.com/t', env: {} } as never)).rejects.toMatchObject({
      code: McaErrorCodes.UNKNOWN_OPTION,
      message: expect.stringContaining("did you mean 'tokenEndpoint'?"),
    });
  });
});

describe('the table and its public checks', () => {
  it('lets an adapter add names of its own (extraNames) and check objects of its own (checkOptionNames)', () => {
    expect(() => checkMcaOptionNames({ ...valid, retryOn401: false }, ['retryOn401'])).not.toThrow();
    expect(() => checkMcaOptionNames({ ...valid, retryOn401: false })).toThrow(expect.objectContaining({ code: McaErrorCodes.UNKNOWN_OPTION }));
    expect(() => checkOptionNames({ connections: 1, mcaa: {} }, ['mca', 'connections'], 'agent')).toThrow(/'agent\.mcaa': did you mean 'mca'\?/);
  });

  it('refuses a wrong call of checkOptionNames itself with MCA_INVALID_OPTION', () => {
    expect(() => checkOptionNames(42 as never, [])).toThrow(expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION }));
    expect(() => checkOptionNames({}, 'match' as never)).toThrow(expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION }));
  });

  it('documents every name of the option types (a name missing from the table would refuse a real option)', () => {
    const tokenKeys: Record<keyof Required<Omit<McaOptions, 'routes'>>, true> = {
      protocol: true, appId: true, clientId: true, secret: true, serverUrl: true, tokenEndpoint: true, issuer: true, scope: true,
      audience: true, resource: true, extraParams: true, clientAuth: true, privateKey: true, privateKeyAlg: true, privateKeyId: true,
      timeoutMs: true, defaultLifetimeSec: true, allowInsecureHttp: true, match: true, name: true, overwriteAuthorization: true,
      cacheSize: true, cache: true, refreshAhead: true, clockSkewMs: true, backoff: true, logger: true, env: true, store: true,
    };
    const known = new Set<string>([...KNOWN_OPTION_NAMES.top, ...KNOWN_OPTION_NAMES.token]);
    for (const name of Object.keys(tokenKeys)) expect(known).toContain(name);
  });

  it('suggests by letter case first, then by edit distance counting a swap as one edit, and not at all when far', () => {
    expect(nearestName('CLIENTID', ['clientId', 'clientAuth'])).toBe('clientId');
    expect(nearestName('cleintId', ['clientId', 'clientAuth'])).toBe('clientId');
    expect(nearestName('colour', ['clientId', 'clientAuth'])).toBeUndefined();
  });
});
