/** onBehalfOf's subjects and context, and the per-user cache entries of an exchange route. */
import diagnostics from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import { inspect } from 'node:util';
import nock from 'nock';
import { createStamper } from '../../src/stamping/stamper.js';
import { createTokenCache } from '../../src/cache/token-cache.js';
import { onBehalfOf, currentSubject } from '../../src/exchange/on-behalf-of.js';
import { Subject } from '../../src/exchange/subject.js';
import { CHANNEL_NAMES } from '../../src/observability/channels.js';
import { McaErrorCodes } from '../../src/errors/index.js';
import type { McaOptions } from '../../src/config/options.js';
import { useNock } from '../support/use-nock.js';
import { failureOf } from '../support/failure-of.js';

const AUTH = 'https://auth.example.com';
const API = 'https://ledger.example.com/api/';
const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdef';

function options(extra: Partial<McaOptions> = {}): McaOptions {
  return { routes: [{ match: API, exchange: {} }], tokenEndpoint: `${AUTH}/token`, clientId: 'client-1', secret: 'secret-1', env: {}, ...extra };
}

/** A token endpoint that mints `<subject>#<n>` for each exchange, and counts them. */
function exchangeServer(expiresIn = 300): { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  // Read in the body matcher: nock 14 and 15 disagree on a reply function's arguments, not on a matcher's.
  const subjects: string[] = [];
  nock(AUTH)
    .persist()
    .post('/token', (body: Record<string, string>) => (subjects.push(body['subject_token']!), true))
    .reply(200, () => {
      const subject = subjects.shift()!;
      const n = (counts.get(subject) ?? 0) + 1;
      counts.set(subject, n);
      return { access_token: `for-${subject}-${n}`, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: expiresIn };
    });
  return { counts };
}

useNock();

describe('onBehalfOf', () => {
  it.each<[string, unknown]>([
    ['a token string', ALICE],
    ['an Authorization value', `Bearer ${ALICE}`],
    ['the MCA form "Bearer <access> <id>"', `Bearer ${ALICE} id-token`],
    ['a Node IncomingMessage-like request', { headers: { authorization: `Bearer ${ALICE}` } }],
    ['an Express request (get())', { get: (name: string) => (name === 'authorization' ? `bearer ${ALICE}` : undefined), headers: {} }],
    ['a Fetch Request', new Request('https://x.example/', { headers: { Authorization: `Bearer ${ALICE}` } })],
    ['a Headers object', new Headers({ authorization: `Bearer ${ALICE}` })],
    ['a plain headers object in any case', { AUTHORIZATION: `Bearer ${ALICE}` }],
  ])('reads the subject from %s', (_label, subject) => {
    expect(onBehalfOf(subject as string, () => currentSubject()?.token())).toBe(ALICE);
  });

  it('works as Express middleware: next() returns at once, and the async work it started keeps the user', async () => {
    const emitter = new EventEmitter();
    const seen: (string | undefined)[] = [];
    const middleware = (req: { headers: Record<string, string> }, next: () => void) => onBehalfOf(req, next);
    for (const token of [ALICE, BOB]) {
      middleware({ headers: { authorization: `Bearer ${token}` } }, () => {
        setTimeout(() => seen.push(currentSubject()?.token()), 5);
        void Promise.resolve().then(() => seen.push(currentSubject()?.token()));
        emitter.once(`go-${token}`, () => undefined);
      });
    }
    expect(currentSubject()).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.sort()).toEqual([ALICE, ALICE, BOB, BOB]);
  });

  it('an inner onBehalfOf wins inside it, the outer user comes back after', () => {
    onBehalfOf(ALICE, () => {
      expect(onBehalfOf(BOB, () => currentSubject()?.token())).toBe(BOB);
      expect(currentSubject()?.token()).toBe(ALICE);
    });
  });

  it('refuses a function that is not one: McaError MCA_INVALID_OPTION', () => {
    expect(() => onBehalfOf(ALICE, 'next' as never)).toThrow(expect.objectContaining({ name: 'McaError', code: 'MCA_INVALID_OPTION' }));
  });

  it('a subject never shows its token in inspect or JSON', () => {
    const subject = new Subject(`Bearer ${ALICE}`);
    expect(`${inspect(subject)} ${JSON.stringify(subject)} ${inspect(subject, { showHidden: true, depth: 9 })}`).not.toContain(ALICE);
    expect(subject.digest()).not.toContain(ALICE);
  });
});

describe('the per-user cache', () => {
  it('serves each user their own token from the cache: one exchange per user, a hit is synchronous', async () => {
    const { counts } = exchangeServer();
    const stamper = createStamper(options({ cacheSize: 10 }));
    for (let round = 0; round < 3; round += 1) {
      const [alice, bob] = await Promise.all([
        onBehalfOf(ALICE, () => stamper.authorizationFor(`${API}a`)),
        onBehalfOf(BOB, () => stamper.authorizationFor(`${API}b`)),
      ]);
      expect([alice, bob]).toEqual([`Bearer for-${ALICE}-1`, `Bearer for-${BOB}-1`]);
    }
    expect(onBehalfOf(ALICE, () => stamper.authorizationFor(`${API}a`))).toBe(`Bearer for-${ALICE}-1`);
    expect(Object.fromEntries(counts)).toEqual({ [ALICE]: 1, [BOB]: 1 });
  });

  it('keys entries by a digest of the subject: no event carries the subject token', async () => {
    exchangeServer();
    const payloads: string[] = [];
    const listener = (message: unknown) => payloads.push(JSON.stringify(message));
    const names = Object.values(CHANNEL_NAMES);
    for (const name of names) diagnostics.subscribe(name, listener);
    try {
      const stamper = createStamper(options({ cacheSize: 10 }));
      await onBehalfOf(ALICE, () => stamper.authorizationFor(`${API}a`));
      onBehalfOf(ALICE, () => stamper.authorizationFor(`${API}a`));
    } finally {
      for (const name of names) diagnostics.unsubscribe(name, listener);
    }
    expect(payloads.length).toBeGreaterThan(2);
    for (const payload of payloads) expect(payload).not.toContain(ALICE);
  });

  it('a 401 replaces only that user’s token, with one new exchange, even when reported outside any context', async () => {
    const { counts } = exchangeServer();
    const stamper = createStamper(options({ cacheSize: 10 }));
    const alice = await onBehalfOf(ALICE, () => stamper.authorizationFor(`${API}a`));
    await onBehalfOf(BOB, () => stamper.authorizationFor(`${API}a`));
    stamper.tokenRejected(`${API}a`, alice as string);
    stamper.tokenRejected(`${API}a`, alice as string);
    // A retry names its user by the token it carried, in whatever context the client runs it.
    const retried = await onBehalfOf(BOB, () => stamper.authorizationFor(`${API}a`, { previousAuthorization: alice as string }));
    expect(retried).toBe(`Bearer for-${ALICE}-2`);
    expect(await onBehalfOf(BOB, () => stamper.authorizationFor(`${API}a`))).toBe(`Bearer for-${BOB}-1`);
    expect(Object.fromEntries(counts)).toEqual({ [ALICE]: 2, [BOB]: 1 });
  });

  it('refreshes a user’s token ahead of its expiry, in the background, for that user', async () => {
    const { counts } = exchangeServer(2);
    const stamper = createStamper(options({ cacheSize: 10, clockSkewMs: 0, refreshAhead: { lifetimeShare: 0.1 } }));
    const first = await onBehalfOf(ALICE, () => stamper.authorizationFor(`${API}a`));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Past its refresh point: still served at once, while a new one is exchanged.
    expect(onBehalfOf(ALICE, () => stamper.authorizationFor(`${API}a`))).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(onBehalfOf(ALICE, () => stamper.authorizationFor(`${API}a`))).toBe(`Bearer for-${ALICE}-2`);
    expect(counts.get(ALICE)).toBe(2);
  });

  it('stays within the cache’s size however many users pass', async () => {
    exchangeServer();
    const cache = createTokenCache({ max: 5 });
    const stamper = createStamper(options({ cache }));
    for (let user = 0; user < 40; user += 1) await onBehalfOf(`user-${user}-token`, () => stamper.authorizationFor(`${API}a`));
    expect(cache.size).toBe(5);
  });

  it('outside onBehalfOf: MCA_NO_SUBJECT_TOKEN as a rejected promise, and nothing is exchanged', async () => {
    const stamper = createStamper(options());
    const pending = stamper.authorizationFor(`${API}a`);
    expect(pending).toBeInstanceOf(Promise);
    expect((await failureOf(pending)).code).toBe(McaErrorCodes.NO_SUBJECT_TOKEN);
    expect(stamper.authorizationFor('https://other.example.com/')).toBeUndefined();
  });
});
