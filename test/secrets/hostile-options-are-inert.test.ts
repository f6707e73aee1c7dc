/**
 * Prototype-pollution shapes, through an adapter and with real requests. Core's own test reads one hostile VCAP
 * document at the resolver; here, `__proto__` and `constructor.prototype` in VCAP_SERVICES, VCAP_APPLICATION, the
 * options and a route, carrying values that would widen what gets a token: none of them takes effect, the
 * request still gets its token from the credentials VCAP names, and Object.prototype is the same afterwards.
 */
import axios, { type AxiosInstance } from 'axios';
import { McaErrorCodes, closeIdleTokenConnections, type McaOptions } from '@mca-oauth/core';
import { installMca } from '@mca-oauth/axios';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_TENANT_ID,
  startDevServer,
  startEchoServer,
  startProtectedApi,
  type DevServer,
  type EchoServer,
  type ProtectedApi,
} from '@mca-oauth/dev-server';

let auth: DevServer;
let api: ProtectedApi;
let elsewhere: EchoServer;

beforeAll(async () => {
  auth = await startDevServer({ signingAlg: 'ES256' });
  api = await startProtectedApi({ server: auth });
  elsewhere = await startEchoServer();
});

beforeEach(() => {
  api.received.clear();
  elsewhere.received.clear();
});

afterAll(async () => {
  await Promise.all([api.close(), elsewhere.close(), auth.close()]);
  closeIdleTokenConnections();
});

/** Everything Object.prototype has, to compare before and after. */
function prototypeSnapshot(): string[] {
  return Reflect.ownKeys(Object.prototype).map((key) => `${String(key)}:${typeof Object.getOwnPropertyDescriptor(Object.prototype, key)?.value}`);
}

/** What a hostile document would like to widen: any URL, plain http, the caller's header replaced. */
function widening(): Record<string, unknown> {
  return {
    match: `${elsewhere.url}/`,
    routes: [{ match: `${elsewhere.url}/` }],
    allowInsecureHttp: true,
    overwriteAuthorization: true,
    tokenEndpoint: `${elsewhere.url}/token`,
    clientId: 'attacker',
    secret: 'attacker',
    polluted: true,
  };
}

const hostileJson = (): string => JSON.stringify(widening());

/** MCA credentials of the dev server, with pollution shapes at every level a parser walks. */
function hostileVcapServices(): string {
  return `{"__proto__":${hostileJson()},"constructor":{"prototype":${hostileJson()}},"AdvancedMobileAccess":[{"__proto__":${hostileJson()},"credentials":{"__proto__":${hostileJson()},"constructor":{"prototype":${hostileJson()}},"clientId":"${DEFAULT_CLIENT_ID}","secret":"${DEFAULT_CLIENT_SECRET}","serverUrl":"${auth.url}","tenantId":"${DEFAULT_TENANT_ID}"}}]}`;
}

/** Options parsed from JSON (a config file, an environment variable): `__proto__` is an own key there. */
function hostileJsonOptions(): McaOptions {
  return JSON.parse(`{"__proto__":${hostileJson()},"constructor":{"prototype":${hostileJson()}}}`) as McaOptions;
}

/** Options whose VCAP documents carry the pollution shapes (names in `env` are not options, so they are read). */
function hostileVcapOptions(): McaOptions {
  return {
    match: `${api.url}/api`,
    cacheSize: 2,
    env: { VCAP_SERVICES: hostileVcapServices(), VCAP_APPLICATION: `{"__proto__":${hostileJson()},"application_id":"${DEFAULT_TENANT_ID}"}` },
  };
}

function client(options: McaOptions): AxiosInstance {
  const http = axios.create({ validateStatus: () => true });
  installMca(http, options);
  return http;
}

it('a request is stamped with the token VCAP names, and nothing the hostile keys in VCAP say takes effect', async () => {
  const before = prototypeSnapshot();
  const http = client(hostileVcapOptions());
  const stamped = await http.get(`${api.url}/api/echo`);
  expect(stamped.status).toBe(200);
  expect((stamped.data as { claims?: { aud?: unknown } }).claims?.aud).toBe(DEFAULT_TENANT_ID);
  // Not the hostile match, route or endpoint: another origin gets nothing, and the caller's header stays.
  await http.get(`${elsewhere.url}/landing`);
  expect(elsewhere.received.authorizations('/landing')).toEqual([undefined]);
  await http.get(`${api.url}/api/echo`, { headers: { Authorization: 'Bearer callers-own' } });
  expect(api.received.authorizations('/api/echo').at(-1)).toBe('Bearer callers-own');
  expect(elsewhere.received.paths()).toEqual(['/landing']);
  expect(prototypeSnapshot()).toEqual(before);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

it('options or a route parsed from JSON with __proto__ or constructor keys are refused at creation, and pollute nothing', () => {
  const before = prototypeSnapshot();
  const top = Object.assign(hostileJsonOptions(), hostileVcapOptions());
  const route = Object.assign(hostileJsonOptions() as unknown as { match: string }, { match: `${api.url}/api` });
  const routed = { routes: [route], tokenEndpoint: auth.tokenEndpoint, clientId: DEFAULT_CLIENT_ID, secret: DEFAULT_CLIENT_SECRET, cacheSize: 2, env: {} };
  for (const [options, where] of [[top, "'__proto__'"], [routed, "'routes[0].__proto__'"]] as const) {
    const refusal = (() => {
      try {
        client(options);
      } catch (error) {
        return error as Error & { code?: string };
      }
      return undefined;
    })();
    expect(refusal).toMatchObject({ code: McaErrorCodes.UNKNOWN_OPTION, message: expect.stringContaining(where) });
    expect(refusal?.message).not.toContain('attacker');
  }
  expect(prototypeSnapshot()).toEqual(before);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('an Object.prototype polluted by some other code', () => {
  // A gadget, not a shape: another library's pollution, present while the adapter is set up, must not widen what
  // mca-oauth stamps. Options are read once, at set-up, so that is when it counts.
  function pollutedWhileInstalling(key: string, value: unknown): { http: AxiosInstance; matches(url: string): boolean } {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype[key] = value;
    try {
      const http = axios.create({ validateStatus: () => true });
      const { interceptor } = installMca(http, { match: `${api.url}/api`, tokenEndpoint: auth.tokenEndpoint, clientId: DEFAULT_CLIENT_ID, secret: DEFAULT_CLIENT_SECRET, cacheSize: 2, env: {} });
      return { http, matches: (url) => interceptor.stamper.matches(url) };
    } finally {
      delete prototype[key];
    }
  }

  it('Object.prototype.routes does not send a token to the origin it names', async () => {
    const { http } = pollutedWhileInstalling('routes', [{ match: `${elsewhere.url}/` }]);
    await http.get(`${elsewhere.url}/landing`);
    expect(elsewhere.received.authorizations('/landing')).toEqual([undefined]);
  });

  it('Object.prototype.overwriteAuthorization does not replace the caller’s header', async () => {
    const { http } = pollutedWhileInstalling('overwriteAuthorization', true);
    await http.get(`${api.url}/api/echo`, { headers: { Authorization: 'Bearer callers-own' } });
    expect(api.received.authorizations('/api/echo')).toEqual(['Bearer callers-own']);
  });

  it('Object.prototype.allowInsecureHttp does not allow plain http', () => {
    const { matches } = pollutedWhileInstalling('allowInsecureHttp', true);
    expect(matches('http://orders.example.com/api')).toBe(false);
  });
});
