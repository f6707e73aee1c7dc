/**
 * `dpop` and `exchange` on one route, through every client against the dev server: each user's request carries a
 * token exchanged for that user and bound to our DPoP key (RFC 9449 §5, §6.1 `cnf.jkt`), with a proof the API
 * checks; the API's nonce challenge (§9) is answered once, keeping the user's token.
 */
import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { onBehalfOf } from '@mca-oauth/core';
import { DEFAULT_CLIENT_ID } from '@mca-oauth/dev-server';
import { clientKinds } from '../faults/support/fault-clients.js';
import { useExchangeWorld, withClient } from './support/exchange-world.js';

const fixture = useExchangeWorld();
const privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
let thumbprint: string;

beforeAll(async () => {
  thumbprint = await calculateJwkThumbprint(privateKey.export({ format: 'jwk' }) as JWK);
});
beforeEach(() => {
  fixture.world.api.stats.reset();
  fixture.world.api.dpop.requireNonce = false;
});
afterAll(() => {
  fixture.world.api.dpop.requireNonce = false;
});

/** The claims of a `DPoP <jwt>` value (decoded, not verified: the API verified it). */
function claimsOf(authorization: string | undefined): Record<string, unknown> {
  expect(authorization).toMatch(/^DPoP [\w-]+\.[\w-]+\.[\w-]+$/);
  return JSON.parse(Buffer.from(authorization!.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe.each(clientKinds)('$name', (kind) => {
  it('gives two users their own DPoP-bound exchanged tokens, which the API accepts with their proofs', async () => {
    const { world } = fixture;
    await withClient(kind, world.options({ dpop: { privateKey } }), async (client) => {
      const tokens = { alice: await world.userToken('alice'), bob: await world.userToken('bob') };
      const answers = await Promise.all(
        (['alice', 'bob', 'alice', 'bob'] as const).map((user) => onBehalfOf(tokens[user], () => client.get(world.userUrl)).then((answer) => ({ user, answer }))),
      );
      for (const { user, answer } of answers) {
        expect(answer.status).toBe(200);
        expect(claimsOf(answer.authorization)).toMatchObject({ sub: user, act: { sub: DEFAULT_CLIENT_ID }, cnf: { jkt: thumbprint } });
      }
      expect(world.auth.exchange.counts()).toEqual({ alice: 1, bob: 1 });
      expect(world.api.stats.dpop.snapshot()).toMatchObject({ accepted: 4, rejected: 0 });
    });
  });

  it('answers the API’s nonce challenge once, with the same user’s token, and sends the nonce from then on', async () => {
    const { world } = fixture;
    world.api.dpop.requireNonce = true;
    await withClient(kind, world.options({ dpop: { privateKey } }), async (client) => {
      const [alice, bob] = [await world.userToken('alice'), await world.userToken('bob')];
      const first = await onBehalfOf(alice, () => client.get(world.userUrl));
      const second = await onBehalfOf(bob, () => client.get(world.userUrl));
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(claimsOf(first.authorization)).toMatchObject({ sub: 'alice', cnf: { jkt: thumbprint } });
      expect(claimsOf(second.authorization)).toMatchObject({ sub: 'bob', cnf: { jkt: thumbprint } });
      const path = new URL(world.userUrl).pathname;
      expect(world.api.received.authorizations(path)).toEqual([first.authorization, first.authorization, second.authorization]);
      expect(world.api.stats.dpop.rejectedFor('nonce')).toBe(1);
      expect(world.auth.exchange.counts()).toEqual({ alice: 1, bob: 1 });
    });
  });

  it('a 401 for one user renews only that user’s bound token (one new exchange)', async () => {
    const { world } = fixture;
    await withClient(kind, world.options({ dpop: { privateKey } }), async (client) => {
      const [alice, bob] = [await world.userToken('alice'), await world.userToken('bob')];
      const before = await onBehalfOf(alice, () => client.get(world.userUrl));
      await onBehalfOf(bob, () => client.get(world.userUrl));
      world.api.rejectNext(1);
      const retried = await onBehalfOf(alice, () => client.get(world.userUrl));
      expect(retried.status).toBe(200);
      expect(retried.authorization).not.toBe(before.authorization);
      expect(claimsOf(retried.authorization)).toMatchObject({ sub: 'alice', cnf: { jkt: thumbprint } });
      expect(world.auth.exchange.counts()).toEqual({ alice: 2, bob: 1 });
    });
  });
});
