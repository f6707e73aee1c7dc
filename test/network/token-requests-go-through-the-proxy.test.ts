/**
 * Token and discovery requests through a real forward proxy (squid): per the environment (curl's rules) and
 * per the `proxy` option; CONNECT for https with TLS verified end to end, absolute-form for http; NO_PROXY.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import https from 'node:https';
import { closeIdleTokenConnections, createStamper, createTokenCache, McaErrorCodes } from '@mca-oauth/core';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@mca-oauth/dev-server';
import { startTlsFront } from '../../test-support/tls-front.js';
import { CORPORATE_HOST, newEntries, startNetworkWorld, tokenOutcome, type NetworkWorld } from './network-world.js';

let world: NetworkWorld;
beforeAll(async () => {
  world = await startNetworkWorld();
});
afterAll(() => world.close());

const authority = (endpoint: string): string => new URL(endpoint).host;

describe('an https token endpoint behind the proxy of the environment', () => {
  it('is reached through CONNECT per HTTPS_PROXY, with TLS verified against the endpoint', async () => {
    const before = (await world.squid.log()).length;
    const outcome = await tokenOutcome({
      tokenEndpoint: world.corporateTokenEndpoint,
      tls: { ca: world.secureAuth.ca! },
      env: { HTTPS_PROXY: world.squid.origin },
    });
    expect(outcome).toEqual({ authorization: expect.stringMatching(/^Bearer /) });
    expect(await newEntries(world.squid, before)).toEqual([
      expect.objectContaining({ method: 'CONNECT', target: authority(world.corporateTokenEndpoint), status: 200 }),
    ]);
  });

  it('reads https_proxy before HTTPS_PROXY, as curl does', async () => {
    const before = (await world.squid.log()).length;
    const outcome = await tokenOutcome({
      tokenEndpoint: world.corporateTokenEndpoint,
      tls: { ca: world.secureAuth.ca! },
      env: { https_proxy: world.squid.origin, HTTPS_PROXY: 'http://127.0.0.1:9' },
    });
    expect(outcome).toEqual({ authorization: expect.stringMatching(/^Bearer /) });
    expect((await newEntries(world.squid, before)).map((entry) => entry.method)).toEqual(['CONNECT']);
  });

  it('takes a proxy URL without a scheme as http://, as curl does', async () => {
    const before = (await world.squid.log()).length;
    const outcome = await tokenOutcome({
      tokenEndpoint: world.corporateTokenEndpoint,
      tls: { ca: world.secureAuth.ca! },
      env: { HTTPS_PROXY: world.squid.origin.replace('http://', '') },
    });
    expect(outcome).toEqual({ authorization: expect.stringMatching(/^Bearer /) });
    expect(await newEntries(world.squid, before)).toHaveLength(1);
  });

  it('fails verification through the tunnel as it would without one, naming the TLS reason and the fix', async () => {
    const outcome = await tokenOutcome({ tokenEndpoint: world.corporateTokenEndpoint, env: { HTTPS_PROXY: world.squid.origin } });
    expect(outcome.error).toMatchObject({ code: McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE });
    expect((outcome.error as Error).message).toMatch(/(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY).*tls\.ca/);
  });

  it.each([
    ['*', '*'],
    ['the host', CORPORATE_HOST],
    ['a .suffix', '.corp.test'],
    ['a bare suffix', 'corp.test'],
    ['host:port', () => authority(world.corporateTokenEndpoint)],
    ['a list with spaces and upper case', () => ` other.example , IDP.CORP.TEST `],
  ])('goes direct when NO_PROXY names %s', async (_case, entry) => {
    const before = (await world.squid.log()).length;
    const noProxy = typeof entry === 'function' ? entry() : entry;
    const outcome = await tokenOutcome({
      tokenEndpoint: world.corporateTokenEndpoint,
      tls: { ca: world.secureAuth.ca! },
      env: { HTTPS_PROXY: world.squid.origin, NO_PROXY: noProxy },
    });
    // Only the proxy resolves idp.corp.test: direct, the name is not found.
    expect(outcome.error).toMatchObject({ code: McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE });
    expect((outcome.error as Error).message).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(await newEntries(world.squid, before, 0)).toEqual([]);
  });

  it('still proxies when NO_PROXY names another port or another host, and no_proxy wins over NO_PROXY', async () => {
    const before = (await world.squid.log()).length;
    const outcome = await tokenOutcome({
      tokenEndpoint: world.corporateTokenEndpoint,
      tls: { ca: world.secureAuth.ca! },
      env: { HTTPS_PROXY: world.squid.origin, no_proxy: `${CORPORATE_HOST}:1,corp.example,10.0.0.0/8`, NO_PROXY: '*' },
    });
    expect(outcome).toEqual({ authorization: expect.stringMatching(/^Bearer /) });
    expect(await newEntries(world.squid, before)).toHaveLength(1);
  });

  it('never proxies a loopback endpoint', async () => {
    const before = (await world.squid.log()).length;
    const outcome = await tokenOutcome({
      tokenEndpoint: world.secureAuth.tokenEndpoint,
      tls: { ca: world.secureAuth.ca! },
      env: { HTTPS_PROXY: world.squid.origin, HTTP_PROXY: world.squid.origin },
    });
    expect(outcome).toEqual({ authorization: expect.stringMatching(/^Bearer /) });
    expect(await newEntries(world.squid, before, 0)).toEqual([]);
  });
});

describe('a plain http token endpoint behind the proxy', () => {
  it('is requested in absolute form through HTTP_PROXY (RFC 9112 §3.2.2)', async () => {
    const before = (await world.squid.log()).length;
    const outcome = await tokenOutcome({
      tokenEndpoint: world.plainCorporateTokenEndpoint,
      allowInsecureHttp: true,
      env: { HTTP_PROXY: world.squid.origin, HTTPS_PROXY: 'http://127.0.0.1:9' },
    });
    expect(outcome).toEqual({ authorization: expect.stringMatching(/^Bearer /) });
    expect(await newEntries(world.squid, before)).toEqual([
      expect.objectContaining({ method: 'POST', target: world.plainCorporateTokenEndpoint, status: 200 }),
    ]);
  });
});

describe('the proxy option', () => {
  it('proxies even a loopback endpoint, and discovery with it, whatever the environment says', async () => {
    const before = (await world.squid.log()).length;
    const outcome = await tokenOutcome({
      issuer: world.secureAuth.issuer,
      proxy: world.squid.origin,
      tls: { ca: world.secureAuth.ca! },
      env: { NO_PROXY: '*', HTTPS_PROXY: 'http://127.0.0.1:9' },
    });
    expect(outcome).toEqual({ authorization: expect.stringMatching(/^Bearer /) });
    const entries = await newEntries(world.squid, before);
    expect(entries.length).toBeGreaterThanOrEqual(1);
    expect(entries.every((entry) => entry.method === 'CONNECT' && entry.target === authority(world.secureAuth.url))).toBe(true);
  });

  it('false turns the environment off', async () => {
    const before = (await world.squid.log()).length;
    const outcome = await tokenOutcome({
      tokenEndpoint: world.corporateTokenEndpoint,
      tls: { ca: world.secureAuth.ca! },
      proxy: false,
      env: { HTTPS_PROXY: world.squid.origin },
    });
    expect((outcome.error as Error).message).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(await newEntries(world.squid, before, 0)).toEqual([]);
  });

  it('two routes with the same client but different proxies each use their own', async () => {
    const before = (await world.squid.log()).length;
    const stamper = createStamper({
      clientId: DEFAULT_CLIENT_ID,
      secret: DEFAULT_CLIENT_SECRET,
      tokenEndpoint: world.corporateTokenEndpoint,
      tls: { ca: world.secureAuth.ca! },
      cache: createTokenCache(),
      // The two routes share a token key, and so its backoff after the direct route's failure: keep it short.
      backoff: { initialDelayMs: 1, maxDelayMs: 1 },
      env: {},
      routes: [
        { match: 'https://direct.example.com/', proxy: false },
        { match: 'https://proxied.example.com/', proxy: world.squid.origin },
      ],
    });
    await expect(stamper.authorizationFor('https://direct.example.com/x')).rejects.toMatchObject({ code: McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(stamper.authorizationFor('https://proxied.example.com/x')).resolves.toMatch(/^Bearer /);
    closeIdleTokenConnections();
    expect(await newEntries(world.squid, before)).toHaveLength(1);
  });

  it('applies per route: each route reaches its endpoint its own way', async () => {
    const before = (await world.squid.log()).length;
    const outcome = await tokenOutcome({
      match: undefined,
      routes: [{ match: 'https://orders.example.com/api/', tokenEndpoint: world.corporateTokenEndpoint, proxy: world.squid.origin, tls: { ca: world.secureAuth.ca! } }],
      env: {},
    });
    expect(outcome).toEqual({ authorization: expect.stringMatching(/^Bearer /) });
    expect(await newEntries(world.squid, before)).toHaveLength(1);
  });
});

describe('a proxy that asks for credentials', () => {
  it('lets the token request through with user:password@ in the proxy URL (Proxy-Authorization: Basic)', async () => {
    const before = (await world.guardedSquid.log()).length;
    const outcome = await tokenOutcome({ tokenEndpoint: world.corporateTokenEndpoint, tls: { ca: world.secureAuth.ca! }, proxy: world.guardedSquid.url });
    expect(outcome).toEqual({ authorization: expect.stringMatching(/^Bearer /) });
    expect(await newEntries(world.guardedSquid, before)).toEqual([expect.objectContaining({ method: 'CONNECT', status: 200 })]);
  });

  it.each([
    ['no credentials', () => world.guardedSquid.origin],
    ['a wrong password', () => world.guardedSquid.url.replace(/:[^:@]+@/, ':wrong-password@')],
  ])('answers 407 to %s on CONNECT: MCA_PROXY_ERROR with the origin and the status', async (_case, proxy) => {
    const outcome = await tokenOutcome({ tokenEndpoint: world.corporateTokenEndpoint, tls: { ca: world.secureAuth.ca! }, proxy: proxy() });
    expect(outcome.error).toMatchObject({ code: McaErrorCodes.PROXY_ERROR, status: 407 });
    expect((outcome.error as Error).message).toContain(world.guardedSquid.origin);
    expect((outcome.error as Error).message).not.toMatch(/wrong-password|proxy-user/);
  });

  it('answers 407 to an absolute-form request without credentials: MCA_PROXY_ERROR too', async () => {
    const outcome = await tokenOutcome({
      tokenEndpoint: world.plainCorporateTokenEndpoint,
      allowInsecureHttp: true,
      env: { http_proxy: world.guardedSquid.origin },
    });
    expect(outcome.error).toMatchObject({ code: McaErrorCodes.PROXY_ERROR, status: 407 });
  });
});

describe('a proxy that cannot be reached', () => {
  it('is MCA_PROXY_ERROR naming its origin, for CONNECT and for absolute form', async () => {
    const closed = 'http://127.0.0.1:9';
    const https = await tokenOutcome({ tokenEndpoint: world.corporateTokenEndpoint, proxy: closed });
    expect(https.error).toMatchObject({ code: McaErrorCodes.PROXY_ERROR });
    expect((https.error as Error).message).toMatch(/127\.0\.0\.1:9.*ECONNREFUSED/);
    const http = await tokenOutcome({ tokenEndpoint: world.plainCorporateTokenEndpoint, allowInsecureHttp: true, proxy: closed });
    expect(http.error).toMatchObject({ code: McaErrorCodes.PROXY_ERROR });
  });

  it('refuses a proxy URL that is not http(s) at creation', async () => {
    const outcome = await tokenOutcome({ tokenEndpoint: world.corporateTokenEndpoint, proxy: 'socks5://127.0.0.1:1080' }).catch((error: unknown) => ({ error }));
    expect(outcome.error).toMatchObject({ code: McaErrorCodes.INVALID_OPTION });
  });
});

describe('an https:// proxy', () => {
  it('is reached over TLS, verified with tls.ca, and tunnels to the endpoint inside it', async () => {
    const front = await startTlsFront(world.squid.origin);
    try {
      const before = (await world.squid.log()).length;
      const outcome = await tokenOutcome({
        tokenEndpoint: world.corporateTokenEndpoint,
        tls: { ca: [world.secureAuth.ca!, front.certificate] },
        env: { HTTPS_PROXY: front.httpsUrl },
      });
      expect(outcome).toEqual({ authorization: expect.stringMatching(/^Bearer /) });
      expect(await newEntries(world.squid, before)).toEqual([expect.objectContaining({ method: 'CONNECT', target: authority(world.corporateTokenEndpoint) })]);
      const plain = await tokenOutcome({ tokenEndpoint: world.plainCorporateTokenEndpoint, allowInsecureHttp: true, tls: { ca: front.certificate }, env: { HTTP_PROXY: front.httpsUrl } });
      expect(plain).toEqual({ authorization: expect.stringMatching(/^Bearer /) });
      expect(await newEntries(world.squid, before, 2)).toEqual([
        expect.objectContaining({ method: 'CONNECT' }),
        expect.objectContaining({ method: 'POST', target: world.plainCorporateTokenEndpoint }),
      ]);
      const untrusted = await tokenOutcome({ tokenEndpoint: world.corporateTokenEndpoint, tls: { ca: world.secureAuth.ca! }, env: { HTTPS_PROXY: front.httpsUrl } });
      expect(untrusted.error).toMatchObject({ code: McaErrorCodes.PROXY_ERROR });
    } finally {
      await front.close();
    }
  });
});

describe("the app's own agents", () => {
  it('never carry token requests: with Node global agents that refuse everything, the proxied request still works', async () => {
    const refusing = <T extends http.Agent>(agent: T): T =>
      Object.assign(agent, {
        createConnection: () => {
          throw new Error('a token request used the global agent');
        },
      });
    const saved = { http: http.globalAgent, https: https.globalAgent };
    http.globalAgent = refusing(new http.Agent());
    https.globalAgent = refusing(new https.Agent());
    try {
      const before = (await world.squid.log()).length;
      const outcome = await tokenOutcome({ tokenEndpoint: world.corporateTokenEndpoint, tls: { ca: world.secureAuth.ca! }, env: { HTTPS_PROXY: world.squid.origin } });
      expect(outcome).toEqual({ authorization: expect.stringMatching(/^Bearer /) });
      expect(await newEntries(world.squid, before)).toHaveLength(1);
    } finally {
      http.globalAgent = saved.http;
      https.globalAgent = saved.https;
    }
  });
});
