/**
 * Token exchange through every client: each request carries a token minted for the user whose onBehalfOf it
 * runs in, never another user's, even when the two users' requests interleave on shared connections and a
 * 401 retry runs in whatever async context the client's socket has. Routes without `exchange` are unchanged.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { onBehalfOf } from '@mca-oauth/core';
import { DEFAULT_CLIENT_ID } from '@mca-oauth/dev-server';
import { clientKinds } from '../faults/support/fault-clients.js';
import { startExchangeWorld, whoIsIn, type ExchangeWorld } from './support/exchange-world.js';

let world: ExchangeWorld;
beforeAll(async () => {
  world = await startExchangeWorld();
});
afterAll(() => world.close());
beforeEach(() => {
  world.auth.exchange.reset();
  world.api.rejectNext(0);
});

describe.each(clientKinds)('$name', (kind) => {
  it('interleaved requests of two users each carry only their own user’s token, acted by the client', async () => {
    const client = kind.create(world.options());
    try {
      const tokens = { alice: await world.userToken('alice'), bob: await world.userToken('bob') };
      const users = ['alice', 'bob'] as const;
      const outcomes = await Promise.all(
        Array.from({ length: 120 }, (_, index) => {
          const user = users[index % 2]!;
          return onBehalfOf(tokens[user], async () => {
            // Hops between the awaits let the other user's work run in between, on the same connections.
            await sleep(index % 7);
            const first = await client.get(world.userUrl);
            await new Promise((resolve) => setImmediate(resolve));
            const second = await client.get(world.userUrl);
            return { user, seen: [whoIsIn(first.authorization), whoIsIn(second.authorization)], statuses: [first.status, second.status] };
          });
        }),
      );
      for (const { user, seen, statuses } of outcomes) {
        expect(statuses).toEqual([200, 200]);
        expect(seen).toEqual([{ sub: user, actor: DEFAULT_CLIENT_ID }, { sub: user, actor: DEFAULT_CLIENT_ID }]);
      }
      expect(world.auth.exchange.counts()).toEqual({ alice: 1, bob: 1 });
    } finally {
      await client.close();
    }
  });

  it('a 401 retry on a connection another user opened is exchanged for the same user (one new exchange)', async () => {
    const client = kind.create(world.options());
    try {
      const [alice, bob] = [await world.userToken('alice'), await world.userToken('bob')];
      // Bob's request opens the connection (a keep-alive client reuses it for Alice's request next).
      expect(whoIsIn((await onBehalfOf(bob, () => client.get(world.userUrl))).authorization).sub).toBe('bob');
      expect(whoIsIn((await onBehalfOf(alice, () => client.get(world.userUrl))).authorization).sub).toBe('alice');
      world.api.rejectNext(1);
      const retried = await onBehalfOf(alice, () => client.get(world.userUrl));
      expect(retried.status).toBe(200);
      expect(whoIsIn(retried.authorization)).toEqual({ sub: 'alice', actor: DEFAULT_CLIENT_ID });
      expect(world.auth.exchange.counts()).toEqual({ alice: 2, bob: 1 });
      // Bob's token was not touched by Alice's 401.
      expect(whoIsIn((await onBehalfOf(bob, () => client.get(world.userUrl))).authorization).sub).toBe('bob');
      expect(world.auth.exchange.exchangesFor('bob')).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('a route without exchange gets the client’s own token, inside onBehalfOf or outside', async () => {
    const client = kind.create(world.options());
    try {
      const outside = await client.get(world.serviceUrl);
      const inside = await onBehalfOf(await world.userToken('alice'), () => client.get(world.serviceUrl));
      expect(outside.status).toBe(200);
      expect(inside.authorization).toBe(outside.authorization);
      expect(whoIsIn(inside.authorization)).toEqual({ sub: DEFAULT_CLIENT_ID, actor: undefined });
      expect(world.auth.exchange.counts()).toEqual({});
    } finally {
      await client.close();
    }
  });
});
