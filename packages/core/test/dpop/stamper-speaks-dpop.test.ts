/** The stamper under the `dpop` option: headers out per method and URL, and the verdict on each response. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import nock from 'nock';
import type { McaOptions } from '../../src/config/options.js';
import { McaErrorCodes } from '../../src/errors/index.js';
import type { RequestStamp } from '../../src/stamping/request-stamp.js';
import { createStamper, type Stamper } from '../../src/stamping/stamper.js';
import { useNock } from '../support/use-nock.js';
import { athOf, verifyProof } from './proof-checks.js';

const AUTH = 'https://auth.example.com';
const API = 'https://orders.example.com/api';
let issued = 0;

function tokenServer(times = 1, tokenType = 'DPoP'): void {
  for (let answer = 0; answer < times; answer += 1) {
    issued += 1;
    nock(AUTH).post('/token').reply(200, { access_token: `token-${issued}`, token_type: tokenType, expires_in: 3600 });
  }
}

const options = (extra: Partial<McaOptions> = {}): McaOptions => ({
  match: API,
  tokenEndpoint: `${AUTH}/token`,
  clientId: 'client',
  secret: 'stamper-Secret-value',
  cacheSize: 10,
  env: {},
  dpop: true,
  ...extra,
});

async function stampOf(stamper: Stamper, method: string, url: string): Promise<RequestStamp> {
  const stamp = await stamper.stampFor(method, url);
  if (stamp === undefined) throw new Error('expected a stamp');
  return stamp;
}

const nonceChallenge = { 'www-authenticate': 'DPoP error="use_dpop_nonce", error_description="fresh nonce"', 'dpop-nonce': 'resource-nonce' };

useNock();

it('stamps DPoP <token> and a proof for the method and the URL without query and fragment, bound by ath', async () => {
  tokenServer();
  const stamper = createStamper(options());
  const stamp = await stampOf(stamper, 'PATCH', `${API}/orders/7?expand=lines#top`);
  expect(stamp.authorization).toMatch(/^DPoP token-\d+$/);
  const { payload } = await verifyProof(stamp.dpop!);
  expect(payload).toMatchObject({ htm: 'PATCH', htu: `${API}/orders/7`, ath: athOf(stamp.authorization.slice(5)) });
});

it('signs a new proof per request on a cache hit, and keeps the bearer hit free of allocation', async () => {
  tokenServer();
  const stamper = createStamper(options());
  const first = await stampOf(stamper, 'GET', `${API}/a`);
  const second = stamper.stampForTarget('GET', 'https://orders.example.com', '/api/a?x=1') as RequestStamp;
  expect(second.dpop).not.toBe(first.dpop);
  const [a, b] = await Promise.all([verifyProof(first.dpop!), verifyProof(second.dpop!)]);
  expect(a.payload.jti).not.toBe(b.payload.jti);
  expect(b.payload.htu).toBe(`${API}/a`);

  tokenServer(1, 'Bearer');
  const bearer = createStamper(options({ dpop: undefined }));
  const hit1 = await stampOf(bearer, 'GET', `${API}/a`);
  expect(bearer.stampFor('POST', `${API}/b`)).toBe(hit1);
  expect(hit1.dpop).toBeUndefined();
  expect(hit1.authorization).toMatch(/^Bearer /);
});

it('answers a use_dpop_nonce 401 with retry-with-nonce once, keeping the token; the next proof carries the nonce', async () => {
  tokenServer();
  const stamper = createStamper(options());
  const record = { retriesDone: 0 };
  const stamp = await stampOf(stamper, 'GET', `${API}/a`);
  expect(stamper.judgeResponse(stamp, `${API}/a`, 401, nonceChallenge, record, true)).toBe('retry-with-nonce');
  const retry = await stampOf(stamper, 'GET', `${API}/a`);
  expect(retry.authorization).toBe(stamp.authorization);
  expect((await verifyProof(retry.dpop!)).payload.nonce).toBe('resource-nonce');
  // The same challenge again: no second nonce retry, and the token is still not blamed.
  expect(stamper.judgeResponse(retry, `${API}/a`, 401, nonceChallenge, record, true)).toBe('deliver');
  expect((await stampOf(stamper, 'GET', `${API}/a`)).authorization).toBe(stamp.authorization);
});

it('answers a plain 401 with retry-with-new-token once, after a nonce retry too, and drops the token', async () => {
  tokenServer(2);
  const stamper = createStamper(options());
  const record = { retriesDone: 0 };
  const stamp = await stampOf(stamper, 'GET', `${API}/a`);
  expect(stamper.judgeResponse(stamp, `${API}/a`, 401, nonceChallenge, record, true)).toBe('retry-with-nonce');
  const plain401 = { 'www-authenticate': 'DPoP error="invalid_token"' };
  expect(stamper.judgeResponse(stamp, `${API}/a`, 401, plain401, record, true)).toBe('retry-with-new-token');
  const renewed = await stampOf(stamper, 'GET', `${API}/a`);
  expect(renewed.authorization).not.toBe(stamp.authorization);
  expect(stamper.judgeResponse(renewed, `${API}/a`, 401, plain401, record, true)).toBe('deliver');
});

it('gives no retry for a body that cannot be sent again, but drops a rejected token all the same', async () => {
  tokenServer(2);
  const stamper = createStamper(options());
  const stamp = await stampOf(stamper, 'POST', `${API}/a`);
  expect(stamper.judgeResponse(stamp, `${API}/a`, 401, nonceChallenge, { retriesDone: 0 }, false)).toBe('deliver');
  expect((await stampOf(stamper, 'GET', `${API}/a`)).authorization).toBe(stamp.authorization);
  expect(stamper.judgeResponse(stamp, `${API}/a`, 401, {}, { retriesDone: 0 }, false)).toBe('deliver');
  expect((await stampOf(stamper, 'GET', `${API}/a`)).authorization).not.toBe(stamp.authorization);
});

it('remembers a DPoP-Nonce from any response of a matched origin, in any header shape', async () => {
  tokenServer();
  const stamper = createStamper(options());
  const stamp = await stampOf(stamper, 'GET', `${API}/a`);
  const raw = [Buffer.from('DPoP-Nonce'), Buffer.from('from-raw-headers')];
  expect(stamper.judgeResponse(stamp, `${API}/a`, 200, raw, { retriesDone: 0 }, true)).toBe('deliver');
  expect((await verifyProof((await stampOf(stamper, 'GET', `${API}/b`)).dpop!)).payload.nonce).toBe('from-raw-headers');
  stamper.judgeResponse(stamp, `${API}/a`, 204, new Headers({ 'dpop-nonce': 'from-fetch-headers' }), { retriesDone: 0 }, true);
  expect((await verifyProof((await stampOf(stamper, 'GET', `${API}/b`)).dpop!)).payload.nonce).toBe('from-fetch-headers');
  // A nonce a proof could not carry is ignored.
  stamper.judgeResponse(stamp, `${API}/a`, 200, { 'dpop-nonce': 'bad"nonce' }, { retriesDone: 0 }, true);
  expect((await verifyProof((await stampOf(stamper, 'GET', `${API}/b`)).dpop!)).payload.nonce).toBe('from-fetch-headers');
});

it('gives a redirect hop that stays in the match a proof for its own method and URL, and none to one that leaves', async () => {
  tokenServer();
  const stamper = createStamper(options());
  const stamp = await stampOf(stamper, 'POST', `${API}/a`);
  const hop = stamper.stampForHop(stamp, 'GET', `${API}/b?page=2`)!;
  expect(hop.authorization).toBe(stamp.authorization);
  expect((await verifyProof(hop.dpop!)).payload).toMatchObject({ htm: 'GET', htu: `${API}/b`, ath: athOf(stamp.authorization.slice(5)) });
  expect(stamper.stampForHop(stamp, 'GET', 'https://orders.example.com/public')).toBeUndefined();
});

it('respects the caller’s own Authorization, as for bearer tokens', () => {
  const stamper = createStamper(options());
  expect(stamper.stampFor('GET', `${API}/a`, { callerAuthorization: 'DPoP theirs' })).toBeUndefined();
});

it('makes the key thumbprint part of the token identity: two keys never share a token', async () => {
  tokenServer(2);
  const one = await stampOf(createStamper(options()), 'GET', `${API}/a`);
  const two = await stampOf(createStamper(options()), 'GET', `${API}/a`);
  expect(one.authorization).not.toBe(two.authorization);
});

describe('keys and algorithms', () => {
  it.each([
    ['ec', { namedCurve: 'P-256' }, 'ES256'],
    ['ec', { namedCurve: 'P-384' }, 'ES384'],
    ['ec', { namedCurve: 'P-521' }, 'ES512'],
    ['ed25519', {}, 'EdDSA'],
    ['rsa', { modulusLength: 2048 }, 'RS256'],
  ] as const)('signs with a %s key (%j) as %s by default', async (type, parameters, alg) => {
    tokenServer();
    const { privateKey } = generateKeyPairSync(type as 'ec', parameters as { namedCurve: string });
    const stamp = await stampOf(createStamper(options({ dpop: { privateKey } })), 'GET', `${API}/a`);
    await verifyProof(stamp.dpop!, [alg]);
  });

  it('signs PS256 with an RSA key when asked, from a PEM or a JWK', async () => {
    tokenServer(2);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    for (const given of [pem, privateKey.export({ format: 'jwk' })]) {
      const stamp = await stampOf(createStamper(options({ dpop: { privateKey: given as string, alg: 'PS256' } })), 'GET', `${API}/a`);
      await verifyProof(stamp.dpop!, ['PS256']);
    }
  });

  it.each([
    [{ privateKey: 'not a key' }, "'dpop.privateKey'"],
    [{ alg: 'HS256' }, "'dpop.alg'"],
    [{ alg: 'ES384' }, "'dpop.alg'"],
    ['yes', "'dpop'"], // the option, not MCA_DPOP: only the variable is text
    [42, "'dpop'"],
  ])('refuses %j with MCA_INVALID_OPTION naming the option', (dpop, named) => {
    expect(() => createStamper(options({ dpop: dpop as never }))).toThrow(
      expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION, message: expect.stringContaining(named) }),
    );
  });

  it('refuses an algorithm that does not fit the key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => createStamper(options({ dpop: { privateKey, alg: 'RS256' } }))).toThrow(expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION }));
  });

  it('reads MCA_DPOP=1 as on, and MCA_DPOP=0 or false as off', async () => {
    tokenServer(1);
    const on = await stampOf(createStamper(options({ dpop: undefined, env: { MCA_DPOP: '1' } })), 'GET', `${API}/a`);
    await verifyProof(on.dpop!, ['ES256']);
    for (const text of ['0', 'false']) {
      tokenServer(1, 'Bearer');
      const off = await stampOf(createStamper(options({ dpop: undefined, env: { MCA_DPOP: text } })), 'GET', `${API}/a`);
      expect(off).toMatchObject({ dpop: undefined, authorization: expect.stringMatching(/^Bearer /) });
    }
  });

  it('turns DPoP on from MCA_DPOP=true and reads the key from MCA_DPOP_KEY_FILE', async () => {
    tokenServer(2);
    const fromFlag = await stampOf(createStamper(options({ dpop: undefined, env: { MCA_DPOP: 'true' } })), 'GET', `${API}/a`);
    await verifyProof(fromFlag.dpop!, ['ES256']);
    const { privateKey } = generateKeyPairSync('ed25519');
    const file = join(mkdtempSync(join(tmpdir(), 'mca-dpop-')), 'key.pem');
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    const fromFile = await stampOf(createStamper(options({ dpop: undefined, env: { MCA_DPOP_KEY_FILE: file } })), 'GET', `${API}/a`);
    await verifyProof(fromFile.dpop!, ['EdDSA']);
    expect(() => createStamper(options({ dpop: undefined, env: { MCA_DPOP_KEY_FILE: `${file}.missing` } }))).toThrow(
      expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION, message: expect.stringContaining('MCA_DPOP_KEY_FILE') }),
    );
  });

  it('never shows the private key or the token in inspect or JSON of a stamp', async () => {
    tokenServer();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const d = privateKey.export({ format: 'jwk' }).d!;
    const stamper = createStamper(options({ dpop: { privateKey } }));
    const stamp = await stampOf(stamper, 'GET', `${API}/a`);
    for (const text of [inspect(stamp, { depth: 10, showHidden: true }), JSON.stringify(stamp), inspect(stamper, { depth: 10, showHidden: true })]) {
      expect(text).not.toContain(d);
      expect(text).not.toContain(stamp.authorization.slice(5));
    }
  });
});

it('finds the use_dpop_nonce challenge in a second WWW-Authenticate header, in every header shape', async () => {
  tokenServer();
  const stamper = createStamper(options());
  const stamp = await stampOf(stamper, 'GET', `${API}/a`);
  const bearer = 'Bearer realm="api"';
  const dpopChallenge = 'DPoP error="use_dpop_nonce"';
  const shapes: unknown[] = [
    { 'www-authenticate': [bearer, dpopChallenge], 'dpop-nonce': 'n1' },
    [Buffer.from('WWW-Authenticate'), Buffer.from(bearer), Buffer.from('WWW-Authenticate'), Buffer.from(dpopChallenge), Buffer.from('DPoP-Nonce'), Buffer.from('n2')],
    [['www-authenticate', bearer], ['www-authenticate', dpopChallenge], ['dpop-nonce', 'n3']],
    new Headers([['www-authenticate', bearer], ['www-authenticate', dpopChallenge], ['dpop-nonce', 'n4']]),
    // Node's IncomingHttpHeaders: a prototype of its own, repeated values joined.
    Object.assign(Object.create(Object.create(null) as object) as object, { 'www-authenticate': `${bearer}, ${dpopChallenge}`, 'dpop-nonce': 'n5' }),
  ];
  for (const headers of shapes) expect(stamper.judgeResponse(stamp, `${API}/a`, 401, headers, { retriesDone: 0 }, true)).toBe('retry-with-nonce');
});

it('publishes each retry it gives on mca-oauth:request:retry, and a dropped token on request:rejected', async () => {
  const diagnostics = await import('node:diagnostics_channel');
  tokenServer(2);
  const stamper = createStamper(options());
  const seen: unknown[] = [];
  const listen = (name: string) => (message: unknown) => seen.push([name, message]);
  const onRetry = listen('retry');
  const onRejected = listen('rejected');
  diagnostics.subscribe('mca-oauth:request:retry', onRetry);
  diagnostics.subscribe('mca-oauth:request:rejected', onRejected);
  try {
    const stamp = await stampOf(stamper, 'GET', `${API}/a`);
    const record = { retriesDone: 0 };
    stamper.judgeResponse(stamp, `${API}/a`, 401, nonceChallenge, record, true);
    stamper.judgeResponse(stamp, `${API}/a`, 401, {}, record, true);
  } finally {
    diagnostics.unsubscribe('mca-oauth:request:retry', onRetry);
    diagnostics.unsubscribe('mca-oauth:request:rejected', onRejected);
  }
  const origin = 'https://orders.example.com';
  expect(seen).toEqual([
    ['retry', expect.objectContaining({ kind: 'dpop-nonce', origin })],
    ['rejected', expect.objectContaining({ origin })],
    ['retry', expect.objectContaining({ kind: '401', origin })],
  ]);
});
