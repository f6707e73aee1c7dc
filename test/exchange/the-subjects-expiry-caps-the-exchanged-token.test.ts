/**
 * Through every client: an exchanged token never outlives the user's token. The dev server mints it for an hour
 * regardless (on purpose), so only the client's cap keeps it from being sent after the subject's `exp`, and a
 * token capped that way is not refreshed ahead (a refresh would be capped the same).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { McaErrorCodes, onBehalfOf } from '@mca-oauth/core';
import { clientKinds, rejectionOf } from '../faults/support/fault-clients.js';
import { mcaCodeOf, whoIsIn, useExchangeWorld, withClient } from './support/exchange-world.js';

const fixture = useExchangeWorld();

function expOf(token: string): number {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number }).exp * 1000;
}

describe.each(clientKinds)('$name', (kind) => {
  it('is used up to the subject’s exp without a refresh, and never sent after it', async () => {
    await withClient(kind, fixture.world.options(), async (client) => {
      const user = `carol-${kind.name.split(' ')[0]}`;
      const subject = await fixture.world.userToken(user, 3);
      const expiresAt = expOf(subject);
      const first = await onBehalfOf(subject, () => client.get(fixture.world.userUrl));
      expect(whoIsIn(first.authorization).sub).toBe(user);
      // Past 80% of the capped life, before its end: served from the cache, no refresh ahead.
      await sleep(Math.max(0, expiresAt - 700 - Date.now()));
      const late = await onBehalfOf(subject, () => client.get(fixture.world.userUrl));
      expect(late.authorization).toBe(first.authorization);
      await sleep(100);
      expect(fixture.world.auth.exchange.exchangesFor(user)).toBe(1);
      // After the subject's exp: not sent with the old token, and not exchanged again.
      await sleep(Math.max(0, expiresAt + 50 - Date.now()));
      const after = await rejectionOf(onBehalfOf(subject, () => client.get(fixture.world.userUrl)));
      expect(mcaCodeOf(after)).toBe(McaErrorCodes.INVALID_SUBJECT_TOKEN);
      expect(fixture.world.api.received.forPath('/api/user/echo')).toHaveLength(2);
      expect(fixture.world.auth.exchange.exchangesFor(user)).toBe(1);
    });
  });
});
