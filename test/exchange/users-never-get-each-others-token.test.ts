/**
 * Token exchange through every client: each request carries a token minted for the user whose onBehalfOf it
 * runs in, never another user's, even when the two users' requests interleave on shared connections and a
 * 401 retry runs in whatever async context the client's socket has. Routes without `exchange` are unchanged.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { onBehalfOf } from '@mca-oauth/core';
import { DEFAULT_CLIENT_ID } from '@mca-oauth/dev-server';
import { clientKinds, type FaultClient } from '../faults/support/fault-clients.js';
import { whoIsIn, useExchangeWorld, withClient } from './support/exchange-world.js';

const fixture = useExchangeWorld();

/**
 * A middle tier as an app writes it: middleware that calls `onBehalfOf(req, next)` and returns at once (as
 * Express's `next()` does), then a handler that calls the ledger and answers with whom the ledger saw.
 */
async function startMiddleTier(client: FaultClient): Promise<{ url: string; close(): Promise<void> }> {
  const handler = (res: ServerResponse) => async () => {
    const answer = await client.get(fixture.world.userUrl);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(whoIsIn(answer.authorization)));
  };
  const middleware = (req: IncomingMessage, next: () => void): void => onBehalfOf(req, next);
  const server = createServer((req, res) => middleware(req, () => void handler(res)().catch(() => res.writeHead(502).end())));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/balance`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(clientKinds)('$name', (kind) => {
  it('interleaved requests of two users each carry only their own user’s token, acted by the client', async () => {
    await withClient(kind, fixture.world.options(), async (client) => {
      const tokens = { alice: await fixture.world.userToken('alice'), bob: await fixture.world.userToken('bob') };
      const users = ['alice', 'bob'] as const;
      const outcomes = await Promise.all(
        Array.from({ length: 120 }, (_, index) => {
          const user = users[index % 2]!;
          return onBehalfOf(tokens[user], async () => {
            // Hops between the awaits let the other user's work run in between, on the same connections.
            await sleep(index % 7);
            const first = await client.get(fixture.world.userUrl);
            await new Promise((resolve) => setImmediate(resolve));
            const second = await client.get(fixture.world.userUrl);
            return { user, seen: [whoIsIn(first.authorization), whoIsIn(second.authorization)], statuses: [first.status, second.status] };
          });
        }),
      );
      for (const { user, seen, statuses } of outcomes) {
        expect(statuses).toEqual([200, 200]);
        expect(seen).toEqual([{ sub: user, actor: DEFAULT_CLIENT_ID }, { sub: user, actor: DEFAULT_CLIENT_ID }]);
      }
      expect(fixture.world.auth.exchange.counts()).toEqual({ alice: 1, bob: 1 });
    });
  });

  it('a 401 retry on a connection another user opened is exchanged for the same user (one new exchange)', async () => {
    await withClient(kind, fixture.world.options(), async (client) => {
      const [alice, bob] = [await fixture.world.userToken('alice'), await fixture.world.userToken('bob')];
      // Bob's request opens the connection (a keep-alive client reuses it for Alice's request next).
      expect(whoIsIn((await onBehalfOf(bob, () => client.get(fixture.world.userUrl))).authorization).sub).toBe('bob');
      expect(whoIsIn((await onBehalfOf(alice, () => client.get(fixture.world.userUrl))).authorization).sub).toBe('alice');
      fixture.world.api.rejectNext(1);
      const retried = await onBehalfOf(alice, () => client.get(fixture.world.userUrl));
      expect(retried.status).toBe(200);
      expect(whoIsIn(retried.authorization)).toEqual({ sub: 'alice', actor: DEFAULT_CLIENT_ID });
      expect(fixture.world.auth.exchange.counts()).toEqual({ alice: 2, bob: 1 });
      // Bob's token was not touched by Alice's 401.
      expect(whoIsIn((await onBehalfOf(bob, () => client.get(fixture.world.userUrl))).authorization).sub).toBe('bob');
      expect(fixture.world.auth.exchange.exchangesFor('bob')).toBe(1);
    });
  });

  it('a node:http middle tier with onBehalfOf(req, next) middleware calls the ledger as each incoming request’s user', async () => {
    await withClient(kind, fixture.world.options(), async (client) => {
      const tier = await startMiddleTier(client);
      try {
        const tokens = { alice: await fixture.world.userToken('alice'), bob: await fixture.world.userToken('bob') };
        const answers = await Promise.all(
          Array.from({ length: 40 }, async (_, index) => {
            const user = index % 2 === 0 ? 'alice' : 'bob';
            const response = await fetch(tier.url, { headers: { authorization: `Bearer ${tokens[user]}` } });
            return [user, await response.json()] as const;
          }),
        );
        for (const [user, seen] of answers) expect(seen).toEqual({ sub: user, actor: DEFAULT_CLIENT_ID });
        expect(fixture.world.auth.exchange.counts()).toEqual({ alice: 1, bob: 1 });
      } finally {
        await tier.close();
      }
    });
  });

  it('a route without exchange gets the client’s own token, inside onBehalfOf or outside', async () => {
    await withClient(kind, fixture.world.options(), async (client) => {
      const outside = await client.get(fixture.world.serviceUrl);
      const inside = await onBehalfOf(await fixture.world.userToken('alice'), () => client.get(fixture.world.serviceUrl));
      expect(outside.status).toBe(200);
      expect(inside.authorization).toBe(outside.authorization);
      expect(whoIsIn(inside.authorization)).toEqual({ sub: DEFAULT_CLIENT_ID, actor: undefined });
      expect(fixture.world.auth.exchange.counts()).toEqual({});
    });
  });
});
