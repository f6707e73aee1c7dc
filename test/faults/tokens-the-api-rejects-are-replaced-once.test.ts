/**
 * A token the protected API rejects (401 invalid_token, RFC 6750 §3.1), through every client: it is replaced and
 * the request sent once more; a second 401 goes back to the caller rather than looping; a wave of 401s for one
 * token costs one new token, not one per request; and an API that rejects every token (a wrong audience, a key it
 * does not know) must not turn the callers' request rate into the token server's.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { maxTokenRequestsWithin } from './support/backoff-bound.js';
import { clientKinds } from './support/fault-clients.js';
import { startFaultWorld, type FaultWorld } from './support/fault-world.js';
import { startLoad } from './support/load.js';

let fw: FaultWorld;
beforeAll(async () => {
  fw = await startFaultWorld();
});
beforeEach(() => fw.reset());
afterAll(() => fw.close());

const CONCURRENT = 20;

describe.each(clientKinds)('$name', (kind) => {
  it('a token the API rejects once is replaced: the caller gets the 200 of the retry, with a new token', async () => {
    const scope = `rejected-once:${kind.name}`;
    const client = kind.create(fw.options(scope));
    try {
      const first = await client.get(fw.protectedUrl);
      fw.world.api.rejectNext(1);
      const retried = await client.get(fw.protectedUrl);
      expect(retried.status).toBe(200);
      expect(retried.authorization).toMatch(/^Bearer /);
      expect(retried.authorization).not.toBe(first.authorization);
      expect(fw.tokenRequestsOf(scope).requests).toBe(2);
    } finally {
      await client.close();
    }
  });

  it('a token the API rejects twice: the second 401 goes back to the caller, no third attempt', async () => {
    const scope = `rejected-twice:${kind.name}`;
    const client = kind.create(fw.options(scope));
    try {
      fw.world.api.rejectNext(2);
      const answer = await client.get(fw.protectedUrl);
      expect(answer.status).toBe(401);
      expect(fw.world.api.received.forPath('/api/echo')).toHaveLength(2);
      expect(fw.tokenRequestsOf(scope).requests).toBe(2);
      // Not wedged: once the API accepts tokens again, so does the client.
      expect((await client.get(fw.protectedUrl)).status).toBe(200);
    } finally {
      await client.close();
    }
  });

  it(`an API that rejects every token: ${CONCURRENT} concurrent 401s for one token cost one new token`, async () => {
    const scope = `rejected-wave:${kind.name}`;
    const client = kind.create(fw.options(scope));
    try {
      expect((await client.get(fw.protectedUrl)).status).toBe(200);
      // Every first attempt and every retry is refused.
      fw.world.api.rejectNext(2 * CONCURRENT);
      const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => client.get(fw.protectedUrl)));
      expect(answers.map((answer) => answer.status)).toEqual(Array(CONCURRENT).fill(401));
      expect(fw.tokenRequestsOf(scope).requests).toBe(2);
      fw.world.api.rejectNext(0);
      expect((await client.get(fw.protectedUrl)).status).toBe(200);
    } finally {
      await client.close();
    }
  });
});

const REJECTING_MS = 3_000;

/**
 * Fails today: every 401 invalidates the token and the replacement is fetched at once, so with an API that rejects
 * every token the token server gets one request per round trip of the callers, however fast they go (over a hundred
 * a second through undici alone on the dev machine). A token rejected as soon as it was issued says the token is not the
 * problem; the expectation here is that such replacements follow the same backoff as failed token requests.
 */
it(`an API that rejects every token for ${REJECTING_MS / 1000} s under load: token requests follow the backoff, not the request rate`, async () => {
  const running = clientKinds.map((kind) => {
    const scope = `rejects-all:${kind.name}`;
    return { kind, scope, client: kind.create(fw.options(scope)) };
  });
  try {
    for (const { client } of running) expect((await client.get(fw.protectedUrl)).status).toBe(200);
    fw.world.api.rejectNext(Number.MAX_SAFE_INTEGER);
    const started = performance.now();
    const statuses = running.map(() => new Set<number | string>());
    const loads = running.map(({ client }, index) =>
      startLoad(client, fw.protectedUrl, CONCURRENT, (outcome) => void statuses[index]?.add(outcome.answer?.status ?? 'error')),
    );
    await sleep(REJECTING_MS);
    await Promise.all(loads.map((load) => load.stop()));
    const bound = maxTokenRequestsWithin(performance.now() - started);
    const verdict = (replacements: number): string => (replacements <= bound ? 'within the backoff bound' : `${replacements}, bound ${bound}`);
    const seen = running.map(({ kind, scope }, index) => [
      kind.name,
      { statuses: [...(statuses[index] ?? [])], replacements: verdict(fw.tokenRequestsOf(scope).requests - 1) },
    ]);
    const wanted = running.map(({ kind }) => [kind.name, { statuses: [401], replacements: 'within the backoff bound' }]);
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(wanted));
  } finally {
    fw.world.api.rejectNext(0);
    await Promise.all(running.map(({ client }) => client.close()));
  }
});
