/**
 * A secret put where it does not belong, or configuration that holds one and is broken: every adapter refuses
 * it when created, and the McaError names the option without quoting the secret.
 */
import { createStamper, McaErrorCodes, type McaErrorCode, type McaOptions } from '@mca-oauth/core';
import { mcaInterceptor as axiosInterceptor } from '@mca-oauth/axios';
import { mcaHooks } from '@mca-oauth/got';
import { McaAgent, mcaInterceptor as undiciInterceptor } from '@mca-oauth/undici';
import { findLeaks, secretNeedles } from './leak-scanner.js';
import { CLIENT_ID, SECRET } from './secrets-world.js';

const BASE: McaOptions = {
  match: 'https://orders.example.com/api',
  tokenEndpoint: 'https://login.example.com/oauth2/token',
  clientId: CLIENT_ID,
  secret: SECRET,
  env: {},
};

const vcap = (credentials: string): string =>
  `{"AdvancedMobileAccess":[{"credentials":{"clientId":"${CLIENT_ID}","serverUrl":"https://mca.example.com","tenantId":"t",${credentials}}}]}`;

const MISTAKES: ReadonlyArray<[string, McaOptions, McaErrorCode]> = [
  ['the secret as the password of the token endpoint', { ...BASE, tokenEndpoint: `https://${CLIENT_ID}:${SECRET}@login.example.com/oauth2/token` }, McaErrorCodes.INVALID_OPTION],
  ['the secret as the password of a match prefix', { ...BASE, match: `https://user:${SECRET}@orders.example.com/api` }, McaErrorCodes.INVALID_OPTION],
  ['the secret in the query of a match prefix', { ...BASE, match: `https://orders.example.com/api?key=${SECRET}` }, McaErrorCodes.INVALID_OPTION],
  ['the secret pasted as a match prefix', { ...BASE, match: SECRET }, McaErrorCodes.INVALID_OPTION],
  ['the secret with a line feed in it', { ...BASE, secret: `${SECRET}\nX-Injected: 1` }, McaErrorCodes.INVALID_OPTION],
  ['the secret as the client authentication method', { ...BASE, clientAuth: SECRET as never }, McaErrorCodes.INVALID_OPTION],
  ['the secret as a scope with CR LF', { ...BASE, scope: `read\r\n${SECRET}` }, McaErrorCodes.INVALID_OPTION],
  ['the secret in extraParams with CR LF', { ...BASE, extraParams: { key: `${SECRET}\r\n` + 'x' } }, McaErrorCodes.INVALID_OPTION],
  ['the secret in an unparsable private key', { ...BASE, secret: undefined, privateKey: `-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----` }, McaErrorCodes.INVALID_OPTION],
  ['MCA_SECRET with a control character', { ...BASE, secret: undefined, env: { MCA_SECRET: `${SECRET}\u0000` } }, McaErrorCodes.INVALID_OPTION],
  ['VCAP_SERVICES that is the secret itself', { match: BASE.match, env: { VCAP_SERVICES: SECRET } }, McaErrorCodes.INVALID_VCAP],
  ['VCAP_SERVICES with the secret unquoted', { match: BASE.match, env: { VCAP_SERVICES: vcap(`"secret":${SECRET}`) } }, McaErrorCodes.INVALID_VCAP],
  ['the secret under a mistyped option name', { ...BASE, secret: undefined, secert: SECRET } as unknown as McaOptions, McaErrorCodes.UNKNOWN_OPTION],
  ['the secret in a mistyped route option', { ...BASE, routes: [{ match: 'https://ledger.example.com/', clientSecret: SECRET }] } as unknown as McaOptions, McaErrorCodes.UNKNOWN_OPTION],
  ['the secret as a plain-http match to a remote host', { ...BASE, match: `http://orders.example.com/${SECRET}` }, McaErrorCodes.INVALID_OPTION],
  ['VCAP_SERVICES cut off after the secret', { match: BASE.match, env: { VCAP_SERVICES: vcap(`"secret":"${SECRET}"`).slice(0, -4) } }, McaErrorCodes.INVALID_VCAP],
];

const FACTORIES: ReadonlyArray<[string, (options: McaOptions) => unknown]> = [
  ['createStamper', (options) => createStamper(options)],
  ['axios mcaInterceptor', (options) => axiosInterceptor(options)],
  ['got mcaHooks', (options) => mcaHooks(options)],
  ['undici mcaInterceptor', (options) => undiciInterceptor(options)],
  ['new McaAgent', (options) => new McaAgent({ mca: options })],
];

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe.each(FACTORIES)('%s', (_factory, create) => {
  it.each(MISTAKES)('refuses %s without quoting the secret', (_mistake, options, code) => {
    const error = thrownBy(() => create(options));
    expect((error as { code?: unknown } | undefined)?.code).toBe(code);
    const seen = [{ where: 'the McaError', value: error }];
    const needles = secretNeedles(CLIENT_ID, SECRET);
    expect([...findLeaks(seen, needles, { showHidden: false }), ...findLeaks(seen, needles, { showHidden: true })]).toEqual([]);
  });
});
