/**
 * Header injection, through every adapter. Core's own tests cover CR/LF in four options at the resolver and a CR/LF
 * or space in a token at the provider; here: every configuration site (options, routes, environment variables,
 * VCAP) refused when an adapter is created, and every kind of invisible character in a token refused before any
 * request is sent.
 */
import { createServer, type Server } from 'node:http';
import axios from 'axios';
import got from 'got';
import { Agent, request } from 'undici';
import { closeIdleTokenConnections, McaErrorCodes, type McaOptions } from '@mca-oauth/core';
import { mcaInterceptor as axiosInterceptor } from '@mca-oauth/axios';
import { mcaHooks } from '@mca-oauth/got';
import { McaAgent, mcaInterceptor as undiciInterceptor } from '@mca-oauth/undici';
import { startDevServer, startProtectedApi, type DevServer, type ProtectedApi } from '@mca-oauth/dev-server';

const BASE: McaOptions = {
  match: 'https://orders.example.com/api',
  tokenEndpoint: 'https://login.example.com/oauth2/token',
  clientId: 'orders-client',
  secret: 'orders-secret',
  env: {},
};

const INJECTED = 'read\r\nX-Injected: 1';

const CONFIGURATION_SITES: ReadonlyArray<[string, McaOptions]> = [
  ['scope', { ...BASE, scope: INJECTED }],
  ['one of several scopes', { ...BASE, scope: ['read', INJECTED] }],
  ['audience', { ...BASE, audience: 'https://api.example.com\r\nX-Injected: 1' }],
  ['audience, a lone LF', { ...BASE, audience: 'https://api.example.com\nX-Injected: 1' }],
  ['audience, a tab', { ...BASE, audience: 'https://api\t.example.com' }],
  ['clientId', { ...BASE, clientId: 'orders-client\r\nX-Injected: 1' }],
  ['clientId, a NUL', { ...BASE, clientId: 'orders-client\u0000' }],
  ['scope, a DEL', { ...BASE, scope: 'read\u007f' }],
  ['resource', { ...BASE, resource: 'https://r.example.com/\r\nX-Injected: 1' }],
  ['an extra parameter', { ...BASE, extraParams: { tenant: INJECTED } }],
  ['the scope of a route', { ...BASE, routes: [{ match: 'https://billing.example.com/', scope: INJECTED }] }],
  ['MCA_SCOPE', { ...BASE, env: { MCA_SCOPE: INJECTED } }],
  ['MCA_AUDIENCE', { ...BASE, env: { MCA_AUDIENCE: 'aud\r\nX-Injected: 1' } }],
  ['MCA_CLIENT_ID', { ...BASE, clientId: undefined, env: { MCA_CLIENT_ID: 'c\r\nX-Injected: 1' } }],
  [
    'the clientId in VCAP_SERVICES',
    {
      match: BASE.match,
      env: { VCAP_SERVICES: JSON.stringify({ AdvancedMobileAccess: [{ credentials: { clientId: 'c\r\nX-Injected: 1', secret: 's', serverUrl: 'https://mca.example.com', tenantId: 't' } }] }) },
    },
  ],
];

const FACTORIES: ReadonlyArray<[string, (options: McaOptions) => unknown]> = [
  ['axios mcaInterceptor', (options) => axiosInterceptor(options)],
  ['got mcaHooks', (options) => mcaHooks(options)],
  ['undici mcaInterceptor', (options) => undiciInterceptor(options)],
  ['new McaAgent', (options) => new McaAgent({ mca: options })],
];

describe.each(FACTORIES)('%s', (_factory, create) => {
  it.each(CONFIGURATION_SITES)('refuses a control character in %s when it is created', (_site, options) => {
    expect(() => create(options)).toThrow(expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION, message: expect.stringContaining('control characters') }));
  });
});

describe('a token that cannot go into a header', () => {
  let auth: DevServer;
  let api: ProtectedApi;
  let tokenServer: Server;
  let tokenEndpoint: string;
  /** What the token endpoint answers next. */
  let nextToken = '';

  beforeAll(async () => {
    auth = await startDevServer({ signingAlg: 'ES256' });
    api = await startProtectedApi({ server: auth });
    tokenServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ access_token: nextToken, token_type: 'Bearer', expires_in: 300 }));
    });
    await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
    const address = tokenServer.address();
    tokenEndpoint = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/token`;
  });

  beforeEach(() => api.received.clear());

  afterAll(async () => {
    await new Promise<void>((resolve) => tokenServer.close(() => resolve()));
    await Promise.all([api.close(), auth.close()]);
    closeIdleTokenConnections();
  });

  const options = (): McaOptions => ({ ...BASE, match: `${api.url}/api`, tokenEndpoint, cacheSize: 1 });

  /** Sends GET /api/echo; resolves with the error's code (or its cause's), `sent` if the request went out. */
  const CLIENTS: ReadonlyArray<[string, (url: string) => Promise<unknown>]> = [
    [
      'axios',
      (url) => {
        const http = axios.create();
        http.interceptors.request.use(axiosInterceptor(options()));
        return http.get(url).then(() => 'sent', (error: { code?: unknown }) => error.code);
      },
    ],
    ['got', (url) => got.extend(mcaHooks(options()), { retry: { limit: 0 } }).get(url).then(() => 'sent', (error: { code?: unknown }) => error.code)],
    [
      'undici',
      async (url) => {
        const dispatcher = new Agent().compose(undiciInterceptor(options()));
        try {
          const response = await request(url, { dispatcher });
          await response.body.dump();
          return 'sent';
        } catch (error) {
          return (error as { code?: unknown }).code;
        } finally {
          await dispatcher.close();
        }
      },
    ],
  ];

  const TOKENS: ReadonlyArray<[string, string]> = [
    ['CR LF and a header', 'abc\r\nX-Injected: 1'],
    ['a lone LF', 'abc\nX-Injected: 1'],
    ['a lone CR', 'abc\rX-Injected: 1'],
    ['a space', 'abc def'],
    ['a tab', 'abc\tdef'],
    ['a NUL', 'abc\u0000def'],
    ['a DEL', 'abc\u007fdef'],
    ['a non-ASCII letter', 'abcédef'],
    ['a no-break space', 'abc\u00a0def'],
    ['NEL (U+0085)', 'abc\u0085def'],
    ['a line separator (U+2028)', 'abc\u2028def'],
    ['nothing at all', ''],
  ];

  describe.each(CLIENTS)('%s', (_client, send) => {
    it.each(TOKENS)('with %s fails the request before anything is sent', async (_kind, token) => {
      nextToken = token;
      const outcome = await send(`${api.url}/api/echo`);
      expect(outcome).toBe(McaErrorCodes.TOKEN_INVALID_RESPONSE);
      expect(api.received.forPath('/api/echo')).toHaveLength(0);
    });
  });
});
