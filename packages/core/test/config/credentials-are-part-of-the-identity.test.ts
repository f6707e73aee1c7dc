/**
 * Issue #14 §4: a changed secret or private key is a different token identity, so a wrong secret's failures never
 * reach the right one's token and vice versa; the seed API picks up a secret corrected in a running process.
 */
import { generateKeyPairSync } from 'node:crypto';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startDevServer, type DevServer } from '@mca-oauth/dev-server';
import { createTokenCache } from '../../src/cache/token-cache.js';
import { resolveTokenConfig } from '../../src/config/resolve.js';
import { McaErrorCodes } from '../../src/errors/index.js';
import { closeIdleTokenConnections } from '../../src/http/private-agents.js';
import { getAuthorizationHeader } from '../../src/seed/seed-api.js';
import { createStamper } from '../../src/stamping/stamper.js';

const WRONG_SECRET = 'wrong-Secret-for-identity-tests';
const API = 'https://orders.example.com/api/x';

describe('the cache key', () => {
  const base = { tokenEndpoint: 'https://auth.example.com/token', clientId: 'client' };
  const key = (extra: object) => resolveTokenConfig({ ...base, ...extra }).cacheKey;

  it('changes with the secret, is the same for the same secret (replicas agree), and reveals nothing of it', () => {
    expect(key({ secret: 'secret-one' })).toBe(key({ secret: 'secret-one' }));
    expect(key({ secret: 'secret-one' })).not.toBe(key({ secret: 'secret-two' }));
    expect(key({ secret: 'secret-one' })).not.toContain('secret');
  });

  it('changes with the private key, as a KeyObject or a PEM', () => {
    const first = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const second = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const pem = first.export({ format: 'pem', type: 'pkcs8' }) as string;
    expect(key({ privateKey: first })).toBe(key({ privateKey: first }));
    expect(key({ privateKey: first })).not.toBe(key({ privateKey: second }));
    expect(key({ privateKey: pem })).not.toBe(key({ privateKey: second.export({ format: 'pem', type: 'pkcs8' }) }));
  });

  it('is one identity for one private key, as a KeyObject, a PEM of either type or a JWK', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    for (const [first, legacyType] of [[ec, 'sec1'], [rsa, 'pkcs1']] as const) {
      const forms = [
        first,
        first.export({ format: 'pem', type: 'pkcs8' }) as string,
        `\n${first.export({ format: 'pem', type: legacyType }) as string}\n`,
        first.export({ format: 'jwk' }),
      ];
      expect(new Set(forms.map((privateKey) => key({ privateKey }))).size).toBe(1);
    }
    expect(key({ privateKey: ec })).not.toBe(key({ privateKey: rsa }));
  });

  it('counts a key Node cannot read without its passphrase as the text given', () => {
    const first = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const encrypted = (passphrase: string) => first.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase }) as string;
    const one = encrypted('one');
    expect(key({ privateKey: one })).toBe(key({ privateKey: one }));
    expect(key({ privateKey: one })).not.toBe(key({ privateKey: encrypted('two') }));
  });

  it('differs for the same secret under another client id (the salt is the client)', () => {
    expect(key({ secret: 's' })).not.toBe(key({ secret: 's', clientId: 'other' }));
  });
});

describe('against the dev server', () => {
  let auth: DevServer;
  beforeAll(async () => {
    auth = await startDevServer();
  });
  afterAll(async () => {
    closeIdleTokenConnections();
    await auth.close();
  });
  beforeEach(() => auth.stats.reset());

  const options = (secret: string) => ({ match: 'https://orders.example.com/api/', tokenEndpoint: auth.tokenEndpoint, clientId: DEFAULT_CLIENT_ID, secret, env: {} });

  it('never hands a stamper with a wrong secret the token cached under the right one', async () => {
    const cache = createTokenCache();
    const right = createStamper({ ...options(DEFAULT_CLIENT_SECRET), cache });
    expect(await right.authorizationFor(API)).toMatch(/^Bearer /);
    const wrong = createStamper({ ...options(WRONG_SECRET), cache });
    await expect(wrong.authorizationFor(API)).rejects.toMatchObject({ code: McaErrorCodes.TOKEN_OAUTH_ERROR, status: 401 });
  });

  it("keeps a wrong secret's failure and backoff away from the right secret, and the right one's token away from the wrong", async () => {
    const cache = createTokenCache();
    const wrong = createStamper({ ...options(WRONG_SECRET), cache, backoff: { initialDelayMs: 60_000 } });
    await expect(wrong.authorizationFor(API)).rejects.toMatchObject({ code: McaErrorCodes.TOKEN_OAUTH_ERROR });
    // The corrected configuration (same cache, same process) gets its token at once, not the wrong one's backoff.
    const right = createStamper({ ...options(DEFAULT_CLIENT_SECRET), cache });
    const token = await right.authorizationFor(API);
    expect(token).toMatch(/^Bearer /);
    // Rejecting the right token does not touch the wrong key's state, and the wrong one stays in its backoff.
    right.tokenRejected(API, token as string);
    const before = auth.stats.tokenRequests;
    await expect(wrong.authorizationFor(API)).rejects.toMatchObject({ code: McaErrorCodes.TOKEN_OAUTH_ERROR });
    expect(auth.stats.tokenRequests).toBe(before);
  });

  it('seed API: a running process corrects its secret in the environment, and the next call uses it', async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { MCA_TOKEN_ENDPOINT: auth.tokenEndpoint, MCA_CLIENT_ID: DEFAULT_CLIENT_ID, MCA_SECRET: WRONG_SECRET });
      await expect(getAuthorizationHeader()).rejects.toMatchObject({ code: McaErrorCodes.TOKEN_GENERATE_ERROR });

      process.env['MCA_SECRET'] = DEFAULT_CLIENT_SECRET;
      const header = await getAuthorizationHeader();
      expect(header).toMatch(/^Bearer /);
      // Still cached per identity: the same secret costs no second token request.
      const requests = auth.stats.tokenRequests;
      expect(await getAuthorizationHeader()).toBe(header);
      expect(auth.stats.tokenRequests).toBe(requests);

      // And a wrong secret again never gets the right one's token.
      process.env['MCA_SECRET'] = `${WRONG_SECRET}-2`;
      await expect(getAuthorizationHeader()).rejects.toMatchObject({ code: McaErrorCodes.TOKEN_GENERATE_ERROR });
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });
});
