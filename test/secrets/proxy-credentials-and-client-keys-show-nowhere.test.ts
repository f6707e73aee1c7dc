/**
 * Proxy credentials and TLS client keys are secrets: whatever fails (407, a refused proxy, an untrusted or
 * unreachable endpoint, an OAuth error), neither shows in the error, an event, a log line, a warning or
 * `util.inspect` of the stamper.
 */
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { closeIdleTokenConnections, createStamper, createTokenCache, McaErrorCodes, type McaOptions } from '@mca-oauth/core';
import { DEFAULT_CLIENT_ID } from '@mca-oauth/dev-server';
import { MATCH, PROXY_PASSWORD, PROXY_USER, startNetworkWorld, type NetworkWorld } from '../network/network-world.js';
import { findLeaks, pemKeyNeedles, proxyCredentialNeedles, type Sighting } from './leak-scanner.js';
import { observeEverything, type Observer } from './observers.js';

let world: NetworkWorld;
let observer: Observer;
beforeAll(async () => {
  world = await startNetworkWorld();
});
afterAll(() => world.close());
afterEach(() => observer?.stop());

const WRONG_PASSWORD = `w${PROXY_PASSWORD.slice(1)}x`;

async function scan(options: McaOptions, code: string): Promise<string[]> {
  observer = observeEverything();
  const stamper = createStamper({ match: MATCH, clientId: DEFAULT_CLIENT_ID, secret: 'not-the-secret', timeoutMs: 3_000, cache: createTokenCache(), logger: observer.logger, ...options });
  let error: unknown;
  try {
    await stamper.authorizationFor(`${MATCH}orders`);
  } catch (caught) {
    error = caught;
  }
  closeIdleTokenConnections();
  expect(error).toMatchObject({ code });
  const key = world.secureAuth.issueClientCertificate!('leak-client');
  const seen: Sighting[] = [{ where: 'the McaError', value: error }, { where: 'the stamper', value: stamper }, ...observer.take()];
  const needles = [
    ...proxyCredentialNeedles(PROXY_USER, PROXY_PASSWORD),
    ...proxyCredentialNeedles(PROXY_USER, WRONG_PASSWORD),
    ...pemKeyNeedles('client key', CLIENT_KEY),
    ...pemKeyNeedles('other key', key.key),
  ];
  return [...findLeaks(seen, needles, { showHidden: false }), ...findLeaks(seen, needles, { showHidden: true }), ...(inspect(stamper).includes(PROXY_PASSWORD) ? ['inspect(stamper)'] : [])];
}

let CLIENT_KEY = '';
let CLIENT_CERT = '';
beforeAll(() => {
  const identity = world.secureAuth.issueClientCertificate!('leak-client');
  CLIENT_KEY = identity.key;
  CLIENT_CERT = identity.cert;
});

const guardedWith = (password: string): string => world.guardedSquid.url.replace(encodeURIComponent(PROXY_PASSWORD), encodeURIComponent(password));

it('a wrong proxy password (407 on CONNECT) shows neither password', async () => {
  expect(await scan({ tokenEndpoint: world.corporateTokenEndpoint, tls: { ca: world.secureAuth.ca! }, proxy: guardedWith(WRONG_PASSWORD) }, McaErrorCodes.PROXY_ERROR)).toEqual([]);
});

it('a wrong proxy password from HTTP_PROXY (407 in absolute form) shows neither password', async () => {
  expect(
    await scan({ tokenEndpoint: world.plainCorporateTokenEndpoint, allowInsecureHttp: true, env: { http_proxy: guardedWith(WRONG_PASSWORD) } }, McaErrorCodes.PROXY_ERROR),
  ).toEqual([]);
});

it('a refused proxy with credentials shows them nowhere', async () => {
  expect(await scan({ tokenEndpoint: world.corporateTokenEndpoint, proxy: `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:9` }, McaErrorCodes.PROXY_ERROR)).toEqual([]);
});

it('the right proxy credentials and a client key, with a failing token request, show nowhere', async () => {
  expect(
    await scan(
      { tokenEndpoint: world.corporateTokenEndpoint, tls: { ca: world.secureAuth.ca!, cert: CLIENT_CERT, key: CLIENT_KEY }, env: { HTTPS_PROXY: world.guardedSquid.url } },
      McaErrorCodes.TOKEN_OAUTH_ERROR,
    ),
  ).toEqual([]);
});

it('a client key with an endpoint this process does not trust shows nowhere', async () => {
  expect(await scan({ tokenEndpoint: world.secureAuth.tokenEndpoint, tls: { cert: CLIENT_CERT, key: CLIENT_KEY }, env: {} }, McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE)).toEqual([]);
});

it('a client key that does not fit its certificate is refused at creation without showing it', () => {
  const other = world.secureAuth.issueClientCertificate!('other');
  let error: unknown;
  try {
    createStamper({ match: MATCH, tokenEndpoint: world.secureAuth.tokenEndpoint, clientId: 'c', clientAuth: 'tls_client_auth', tls: { cert: other.cert, key: CLIENT_KEY }, env: {} });
  } catch (caught) {
    error = caught;
  }
  expect(error).toMatchObject({ code: McaErrorCodes.INVALID_OPTION });
  const seen = [{ where: 'the McaError', value: error }];
  const needles = pemKeyNeedles('client key', CLIENT_KEY);
  expect([...findLeaks(seen, needles, { showHidden: false }), ...findLeaks(seen, needles, { showHidden: true })]).toEqual([]);
});
