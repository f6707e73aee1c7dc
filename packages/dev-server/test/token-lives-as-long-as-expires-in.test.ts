/**
 * A token must live at least as long as the `expires_in` the server answers. Found by the rotation benchmark:
 * signing `exp = floor(now) + ttl` cut up to a second off, half the life of a 2-second token.
 */
import { jest } from '@jest/globals';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startDevServer, type DevServer } from '@mca-oauth/dev-server';

// Half past a second: the case where flooring `iat` cuts half a second off the token's life.
const HALF_PAST = 1_800_000_000_500;

describe('token lifetime', () => {
  let server: DevServer;
  beforeAll(async () => {
    // Only Date is faked (fixed at HALF_PAST); sockets and timers stay real.
    jest.useFakeTimers({
      now: HALF_PAST,
      doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame',
        'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval',
        'setTimeout', 'clearTimeout'],
    });
    server = await startDevServer({ signingAlg: 'ES256', tokenTtl: 2 });
  });
  afterAll(async () => {
    await server.close();
    jest.useRealTimers();
  });

  it('token-is-valid-for-at-least-expires-in-after-it-was-issued', async () => {
    const response = await fetch(server.tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${DEFAULT_CLIENT_ID}:${DEFAULT_CLIENT_SECRET}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await response.json()) as { access_token: string; expires_in: number };
    const { exp } = JSON.parse(Buffer.from(body.access_token.split('.')[1]!, 'base64url').toString()) as { exp: number };
    // RFC 7519 §4.1.4: the token is rejected from `exp` on. It must live the `expires_in` it was sold with.
    expect(exp * 1000).toBeGreaterThanOrEqual(HALF_PAST + body.expires_in * 1000);
  });
});
