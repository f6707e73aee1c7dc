/**
 * Every way a token request can fail, through core's stamper, and the successful paths that log and publish:
 * neither the client secret, the private key nor any issued token shows in an error, a log line, a diagnostics
 * payload or a warning.
 */
import type { Fault } from '@mca-oauth/dev-server';
import { createStamper, McaErrorCodes, type McaErrorCode, type McaOptions } from '@mca-oauth/core';
import { useScanContext } from './scan-context.js';
import { KEY_CLIENT_ID, PRIVATE_KEY_PEM, SECRET, WRONG_SECRET } from './secrets-world.js';

const scan = useScanContext();

/** The token (or the error) for a protected URL, with the observer's logger. */
async function tokenFor(extra: Partial<McaOptions> = {}, signal?: AbortSignal): Promise<unknown> {
  const stamper = createStamper(scan.world.options({ logger: scan.observer.logger, timeoutMs: 500, ...extra }));
  try {
    return await stamper.authorizationFor(`${scan.world.api.url}/api/echo`, { signal });
  } catch (error) {
    return error;
  }
}

function codeOf(value: unknown): unknown {
  return (value as { code?: unknown } | undefined)?.code;
}

const TOKEN_FAULTS: ReadonlyArray<[string, Fault, McaErrorCode]> = [
  ['400 with an OAuth error body', { type: 'status', status: 400 }, McaErrorCodes.TOKEN_OAUTH_ERROR],
  ['401 with a text body', { type: 'status', status: 401, body: 'unauthorized', contentType: 'text/plain' }, McaErrorCodes.TOKEN_HTTP_ERROR],
  ['429 with Retry-After', { type: 'status', status: 429, retryAfter: 2 }, McaErrorCodes.TOKEN_OAUTH_ERROR],
  ['500', { type: 'status', status: 500 }, McaErrorCodes.TOKEN_OAUTH_ERROR],
  ['502 with a proxy’s HTML page', { type: 'status', status: 502 }, McaErrorCodes.TOKEN_HTTP_ERROR],
  ['503', { type: 'status', status: 503 }, McaErrorCodes.TOKEN_OAUTH_ERROR],
  ['504 with a proxy’s HTML page', { type: 'status', status: 504 }, McaErrorCodes.TOKEN_HTTP_ERROR],
  ['a body that is not JSON', { type: 'malformed', body: 'non-json' }, McaErrorCodes.TOKEN_INVALID_RESPONSE],
  ['JSON cut in half, token included', { type: 'malformed', body: 'truncated-json' }, McaErrorCodes.TOKEN_INVALID_RESPONSE],
  ['no access_token', { type: 'malformed', body: 'missing-access-token' }, McaErrorCodes.TOKEN_INVALID_RESPONSE],
  ['a valid token of type mac', { type: 'malformed', body: 'token-type-mac' }, McaErrorCodes.TOKEN_INVALID_RESPONSE],
  ['a valid token with expires_in -60', { type: 'malformed', body: 'negative-expires-in' }, McaErrorCodes.TOKEN_INVALID_RESPONSE],
  ['a valid token with expires_in "3600"', { type: 'malformed', body: 'string-expires-in' }, McaErrorCodes.TOKEN_INVALID_RESPONSE],
  ['a valid token with expires_in 1e20', { type: 'malformed', body: 'huge-expires-in' }, McaErrorCodes.TOKEN_INVALID_RESPONSE],
  ['a token with CR LF and a header after it', { type: 'malformed', body: 'crlf-in-access-token' }, McaErrorCodes.TOKEN_INVALID_RESPONSE],
  ['2 MB of token, chunked', { type: 'huge-body', megabytes: 2 }, McaErrorCodes.TOKEN_INVALID_RESPONSE],
  ['2 MB of token, with Content-Length', { type: 'huge-body', megabytes: 2, contentLength: true }, McaErrorCodes.TOKEN_INVALID_RESPONSE],
  ['a TCP reset', { type: 'reset' }, McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE],
  ['no answer', { type: 'hang' }, McaErrorCodes.TOKEN_TIMEOUT],
  ['an answer after the timeout', { type: 'latency', latencyMs: 2_000 }, McaErrorCodes.TOKEN_TIMEOUT],
];

it.each(TOKEN_FAULTS)('a token endpoint fault, %s, fails without showing a secret', async (_name, fault, code) => {
  scan.world.auth.faults.inject({ ...fault, times: 1 });
  const error = await tokenFor();
  expect(codeOf(error)).toBe(code);
  expect(scan.leaksIn({ 'the McaError': error })).toEqual([]);
});

const DISCOVERY_FAULTS: ReadonlyArray<[string, Fault, McaErrorCode]> = [
  ['both documents missing', { type: 'status', status: 404, target: 'discovery' }, McaErrorCodes.DISCOVERY_FAILED],
  ['a document that is not JSON', { type: 'malformed', body: 'non-json', target: 'discovery' }, McaErrorCodes.DISCOVERY_FAILED],
  ['a document of another issuer', { type: 'malformed', body: 'wrong-issuer', target: 'discovery' }, McaErrorCodes.DISCOVERY_FAILED],
  ['a reset', { type: 'reset', target: 'discovery' }, McaErrorCodes.DISCOVERY_FAILED],
  ['no answer', { type: 'hang', target: 'discovery' }, McaErrorCodes.DISCOVERY_FAILED],
];

it.each(DISCOVERY_FAULTS)('a discovery fault, %s, fails without showing a secret', async (_name, fault, code) => {
  scan.world.auth.faults.inject(fault);
  const error = await tokenFor({ tokenEndpoint: undefined, issuer: scan.world.auth.url });
  expect(codeOf(error)).toBe(code);
  expect(scan.leaksIn({ 'the McaError': error })).toEqual([]);
});

it.each([
  ['client_secret_basic', {}],
  ['client_secret_post', { clientAuth: 'client_secret_post' }],
  ['the MCA protocol', { protocol: 'mca', tokenEndpoint: undefined, appId: 'scan-tenant' }],
] as const)('a wrong secret (%s) gets invalid_client, and neither secret shows', async (_name, extra) => {
  const mca = 'protocol' in extra ? { serverUrl: scan.world.tap.url } : {};
  const error = await tokenFor({ ...extra, ...mca, secret: WRONG_SECRET });
  expect(codeOf(error)).toBe(McaErrorCodes.TOKEN_OAUTH_ERROR);
  expect((error as { oauthError?: { error?: string } }).oauthError?.error).toBe('invalid_client');
  expect(scan.leaksIn({ 'the McaError': error })).toEqual([]);
});

it('private_key_jwt: a token with the key, invalid_client with another client id, and the key never shows', async () => {
  // The assertion's audience must be the server's own token endpoint: this one bypasses the tap.
  const keyOptions = { clientId: KEY_CLIENT_ID, secret: undefined, privateKey: PRIVATE_KEY_PEM, tokenEndpoint: scan.world.auth.tokenEndpoint };
  const authorization = await tokenFor(keyOptions);
  expect(authorization).toMatch(/^Bearer /);
  scan.world.rememberToken(authorization as string);
  const error = await tokenFor({ ...keyOptions, clientId: 'no-such-client' });
  expect(codeOf(error)).toBe(McaErrorCodes.TOKEN_OAUTH_ERROR);
  expect(scan.leaksIn({ 'the McaError': error })).toEqual([]);
});

it('aborting the wait for a token shows no secret', async () => {
  scan.world.auth.faults.inject({ type: 'hang', times: 1 });
  const controller = new AbortController();
  const pending = tokenFor({ timeoutMs: 10_000 }, controller.signal);
  while (scan.world.auth.faults.list().length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  controller.abort();
  const error = await pending;
  expect(codeOf(error)).toBe(McaErrorCodes.ABORTED);
  expect(scan.leaksIn({ 'the McaError': error })).toEqual([]);
});

it('a caller during backoff gets the last error again, and it shows no secret', async () => {
  scan.world.auth.faults.inject({ type: 'status', status: 503, times: 1 });
  const stamper = createStamper(scan.world.options({ logger: scan.observer.logger }));
  const url = `${scan.world.api.url}/api/echo`;
  const first = await Promise.resolve(stamper.authorizationFor(url)).catch((error: unknown) => error);
  const again = await Promise.resolve(stamper.authorizationFor(url)).catch((error: unknown) => error);
  expect(again).toBe(first);
  expect(scan.world.auth.stats.snapshot().tokenRequests.requests).toBe(1);
  expect(scan.leaksIn({ 'the first McaError': first, 'the McaError during backoff': again })).toEqual([]);
});

it('getting, refreshing ahead and replacing a rejected token logs and publishes no token', async () => {
  // A refresh window longer than the token's life: every use after the first starts a background refresh.
  const stamper = createStamper(scan.world.options({ logger: scan.observer.logger, refreshAhead: { windowMs: 86_400_000 } }));
  const url = `${scan.world.api.url}/api/echo`;
  const first = await stamper.authorizationFor(url);
  expect(stamper.authorizationFor(url)).toBe(first);
  while (scan.world.auth.stats.snapshot().tokenRequests.successes < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  stamper.tokenRejected(url, first as string);
  const replaced = await stamper.authorizationFor(url);
  expect(replaced).toMatch(/^Bearer /);
  expect(replaced).not.toBe(first);
  expect([...scan.observer.published.keys()]).toEqual(expect.arrayContaining(['mca-oauth:token:end', 'mca-oauth:cache:refresh', 'mca-oauth:cache:hit', 'lru-cache:metrics']));
  expect(scan.leaksIn({ 'the stamper': stamper })).toEqual([]);
});

it('the warning about a plain-http match shows no secret', async () => {
  // A plain-http prefix is refused at creation; a predicate is judged per request, and warned about.
  const stamper = createStamper(scan.world.options({ logger: scan.observer.logger, match: (url) => url.hostname === 'orders.example.com' }));
  expect(stamper.authorizationFor(`http://orders.example.com/api/x?key=${SECRET}`)).toBeUndefined();
  const seen = scan.observer.take();
  expect(seen.map(({ where }) => where)).toContain('process warning');
  expect(scan.leaksIn({ 'what was seen': seen })).toEqual([]);
});

it('a token endpoint that echoes the secret in error_description does not put it in the message', async () => {
  const body = JSON.stringify({ error: 'invalid_client', error_description: `client_secret ${SECRET} is not valid for this client` });
  // Until cleared, not once: an earlier test's background refresh may take the first answer.
  scan.world.auth.faults.inject({ type: 'status', status: 401, body, contentType: 'application/json' });
  // A cache of its own: earlier tests left a valid token in the shared one.
  const error = await tokenFor({ cacheSize: 1 });
  scan.world.auth.faults.clear();
  expect(codeOf(error)).toBe(McaErrorCodes.TOKEN_OAUTH_ERROR);
  expect(scan.leaksIn({ 'the McaError': error })).toEqual([]);
});

it('tokens were issued during this file, so the scan looked for real ones', () => {
  expect(scan.world.tokensIssued).toBeGreaterThan(5);
});
