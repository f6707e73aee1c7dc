/** A route with both `dpop` and `exchange`: each user's exchanged token is DPoP-bound, and core's retries find the user. */
import nock from 'nock';
import { onBehalfOf } from '../../src/exchange/on-behalf-of.js';
import { McaErrorCodes } from '../../src/errors/index.js';
import type { McaOptions } from '../../src/config/options.js';
import type { RequestStamp } from '../../src/stamping/request-stamp.js';
import { createStamper, type Stamper } from '../../src/stamping/stamper.js';
import { athOf, verifyProof } from '../dpop/proof-checks.js';
import { failureOf } from '../support/failure-of.js';
import { useNock } from '../support/use-nock.js';

const AUTH = 'https://auth.example.com';
const API = 'https://ledger.example.com/api/';
const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdef';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

const options = (extra: Partial<McaOptions> = {}): McaOptions => ({
  routes: [{ match: API, exchange: {}, audience: 'ledger' }],
  tokenEndpoint: `${AUTH}/token`,
  clientId: 'client-1',
  secret: 'secret-1',
  env: {},
  dpop: true,
  ...extra,
});

interface Exchange {
  readonly subject: string;
  readonly proof: string | undefined;
}

/** A token endpoint that mints `for-<subject>-<n>` with `tokenType`, and keeps each request's subject and proof. */
function exchangeServer(tokenType = 'DPoP'): Exchange[] {
  const seen: Exchange[] = [];
  const counts = new Map<string, number>();
  let proof: string | undefined;
  nock(AUTH, { reqheaders: { dpop: (value: string) => ((proof = value), true) } })
    .persist()
    .post('/token', (body: Record<string, string>) => (seen.push({ subject: body['subject_token']!, proof }), true))
    .reply(200, () => {
      const { subject } = seen[seen.length - 1]!;
      const n = (counts.get(subject) ?? 0) + 1;
      counts.set(subject, n);
      return { access_token: `for-${subject}-${n}`, issued_token_type: ACCESS_TOKEN_TYPE, token_type: tokenType, expires_in: 300 };
    });
  return seen;
}

async function stampAs(stamper: Stamper, user: string, method: string, url: string): Promise<RequestStamp> {
  const stamp = await onBehalfOf(user, () => stamper.stampFor(method, url));
  if (stamp === undefined) throw new Error('expected a stamp');
  return stamp;
}

const nonceChallenge = { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': 'api-nonce-1' };

useNock();

it('exchanges with a proof for POST and the token endpoint, and stamps each user DPoP <their token> with a proof bound by ath', async () => {
  const exchanges = exchangeServer();
  const stamper = createStamper(options());
  const alice = await stampAs(stamper, ALICE, 'GET', `${API}balance?x=1`);
  const bob = await stampAs(stamper, BOB, 'POST', `${API}transfer`);
  expect([alice.authorization, bob.authorization]).toEqual([`DPoP for-${ALICE}-1`, `DPoP for-${BOB}-1`]);

  const tokenProof = await verifyProof(exchanges[0]!.proof!);
  expect(tokenProof.payload).toMatchObject({ htm: 'POST', htu: `${AUTH}/token` });
  expect(tokenProof.payload.ath).toBeUndefined();
  const [aliceProof, bobProof] = await Promise.all([verifyProof(alice.dpop!), verifyProof(bob.dpop!)]);
  expect(aliceProof.payload).toMatchObject({ htm: 'GET', htu: `${API}balance`, ath: athOf(`for-${ALICE}-1`) });
  expect(bobProof.payload).toMatchObject({ htm: 'POST', htu: `${API}transfer`, ath: athOf(`for-${BOB}-1`) });
  expect(new Set([tokenProof.thumbprint, aliceProof.thumbprint, bobProof.thumbprint]).size).toBe(1);

  // A cache hit signs a new proof, with the ath hashed once for the token (the same string, not a new hash).
  const again = await stampAs(stamper, ALICE, 'GET', `${API}balance`);
  expect(again.dpop).not.toBe(alice.dpop);
  expect(again.token.ath).toBe(alice.token.ath);
  expect(exchanges.map((exchange) => exchange.subject)).toEqual([ALICE, BOB]);
});

it('refuses a Bearer answer to a DPoP exchange with MCA_DPOP_UNBOUND_TOKEN, for that request', async () => {
  exchangeServer('Bearer');
  const error = await failureOf(stampAs(createStamper(options()), ALICE, 'GET', `${API}a`));
  expect(error.code).toBe(McaErrorCodes.DPOP_UNBOUND_TOKEN);
  expect(error.message).not.toContain(ALICE);
});

it('answers 400 use_dpop_nonce from the token endpoint by exchanging once more with the nonce in a new proof', async () => {
  const proofs: string[] = [];
  nock(AUTH, { reqheaders: { dpop: (value: string) => (proofs.push(value), true) } })
    .post('/token')
    .reply(400, { error: 'use_dpop_nonce', error_description: 'nonce required' }, { 'DPoP-Nonce': 'token-nonce-1' })
    .post('/token')
    .reply(200, { access_token: 'for-alice', issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'DPoP', expires_in: 300 });
  const stamp = await stampAs(createStamper(options()), ALICE, 'GET', `${API}a`);
  expect(stamp.authorization).toBe('DPoP for-alice');
  const [first, second] = await Promise.all(proofs.map((proof) => verifyProof(proof)));
  expect(first!.payload.nonce).toBeUndefined();
  expect(second!.payload.nonce).toBe('token-nonce-1');
  expect(second!.payload.jti).not.toBe(first!.payload.jti);
});

it('a nonce retry keeps the user’s token; a 401 retry and a redirect hop find the user from the DPoP value, outside onBehalfOf', async () => {
  const exchanges = exchangeServer();
  const stamper = createStamper(options());
  const record = { retriesDone: 0 };
  const alice = await stampAs(stamper, ALICE, 'GET', `${API}a`);
  await stampAs(stamper, BOB, 'GET', `${API}a`);

  expect(stamper.judgeResponse(alice, `${API}a`, 401, nonceChallenge, record, true)).toBe('retry-with-nonce');
  const withNonce = await stamper.stampFor('GET', `${API}a`, { previousAuthorization: alice.authorization });
  expect(withNonce!.authorization).toBe(alice.authorization);
  expect((await verifyProof(withNonce!.dpop!)).payload).toMatchObject({ nonce: 'api-nonce-1', ath: athOf(`for-${ALICE}-1`) });

  const hop = stamper.stampForHop(withNonce!, 'GET', `${API}moved`)!;
  expect(hop.authorization).toBe(alice.authorization);
  expect((await verifyProof(hop.dpop!)).payload).toMatchObject({ htu: `${API}moved`, ath: athOf(`for-${ALICE}-1`) });
  expect(stamper.stampForHop(withNonce!, 'GET', 'https://elsewhere.example.com/')).toBeUndefined();

  expect(stamper.judgeResponse(withNonce!, `${API}a`, 401, { 'www-authenticate': 'DPoP error="invalid_token"' }, record, true)).toBe('retry-with-new-token');
  const renewed = await stamper.stampFor('GET', `${API}a`, { previousAuthorization: withNonce!.authorization });
  expect(renewed!.authorization).toBe(`DPoP for-${ALICE}-2`);
  expect((await verifyProof(renewed!.dpop!)).payload.ath).toBe(athOf(`for-${ALICE}-2`));
  // Bob's token was not touched.
  expect((await stampAs(stamper, BOB, 'GET', `${API}a`)).authorization).toBe(`DPoP for-${BOB}-1`);
  expect(exchanges.map((exchange) => exchange.subject)).toEqual([ALICE, BOB, ALICE]);
});

it('tokenRejected with a DPoP value drops only that user’s token', async () => {
  const exchanges = exchangeServer();
  const stamper = createStamper(options());
  const alice = await stampAs(stamper, ALICE, 'GET', `${API}a`);
  await stampAs(stamper, BOB, 'GET', `${API}a`);
  stamper.tokenRejected(`${API}a`, alice.authorization);
  expect((await stampAs(stamper, ALICE, 'GET', `${API}a`)).authorization).toBe(`DPoP for-${ALICE}-2`);
  expect((await stampAs(stamper, BOB, 'GET', `${API}a`)).authorization).toBe(`DPoP for-${BOB}-1`);
  expect(exchanges).toHaveLength(3);
});
