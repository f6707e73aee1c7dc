/**
 * Through every client: concurrent requests for users not yet cached share one exchange per user (single
 * flight per subject): 1,000 requests for one new user make 1 exchange; 100 new users make 100.
 */
import { onBehalfOf } from '@mca-oauth/core';
import { clientKinds } from '../faults/support/fault-clients.js';
import { whoIsIn, useExchangeWorld, withClient } from './support/exchange-world.js';

const fixture = useExchangeWorld();
// A slow exchange keeps every request of the storm waiting on the same one.
beforeEach(() => {
  fixture.world.auth.exchange.latencyMs = 50;
});

describe.each(clientKinds)('$name', (kind) => {
  it('1,000 concurrent requests for one new user make one exchange', async () => {
    await withClient(kind, fixture.world.options(), async (client) => {
      const subject = await fixture.world.userToken('dave');
      const answers = await Promise.all(Array.from({ length: 1_000 }, () => onBehalfOf(subject, () => client.get(fixture.world.userUrl))));
      expect(new Set(answers.map((answer) => `${answer.status} ${String(whoIsIn(answer.authorization).sub)}`))).toEqual(new Set(['200 dave']));
      expect(fixture.world.auth.exchange.counts()).toEqual({ dave: 1 });
    });
  });

  it('100 new users with 5 concurrent requests each make 100 exchanges, one per user', async () => {
    await withClient(kind, fixture.world.options(), async (client) => {
      const users = Array.from({ length: 100 }, (_, index) => `user-${index}`);
      const subjects = await Promise.all(users.map((user) => fixture.world.userToken(user)));
      const answers = await Promise.all(
        subjects.flatMap((subject, index) => Array.from({ length: 5 }, () => onBehalfOf(subject, () => client.get(fixture.world.userUrl)).then((answer) => [users[index], answer] as const))),
      );
      for (const [user, answer] of answers) expect(whoIsIn(answer.authorization).sub).toBe(user);
      expect(fixture.world.auth.exchange.counts()).toEqual(Object.fromEntries(users.map((user) => [user, 1])));
    });
  });
});
