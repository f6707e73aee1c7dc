/**
 * Through every client: a request to an exchange route outside onBehalfOf, or with a malformed subject, is not
 * sent and fails with the client's usual token-failure error carrying MCA_NO_SUBJECT_TOKEN or
 * MCA_INVALID_SUBJECT_TOKEN; a user the token server refuses (invalid_grant) fails alone, backed off alone.
 */
import { McaErrorCodes, onBehalfOf } from '@mca-oauth/core';
import { clientKinds, rejectionOf } from '../faults/support/fault-clients.js';
import { mcaCodeOf, whoIsIn, useExchangeWorld, withClient } from './support/exchange-world.js';

const fixture = useExchangeWorld();
const userPath = '/api/user/echo';

describe.each(clientKinds)('$name', (kind) => {
  it('outside onBehalfOf: MCA_NO_SUBJECT_TOKEN, nothing sent, no exchange', async () => {
    await withClient(kind, fixture.world.options(), async (client) => {
      const error = await rejectionOf(client.get(fixture.world.userUrl));
      expect(mcaCodeOf(error)).toBe(McaErrorCodes.NO_SUBJECT_TOKEN);
      // An incoming request without Authorization is no user either.
      const anonymous = await rejectionOf(onBehalfOf({ headers: { accept: 'application/json' } }, () => client.get(fixture.world.userUrl)));
      expect(mcaCodeOf(anonymous)).toBe(McaErrorCodes.NO_SUBJECT_TOKEN);
      expect(fixture.world.api.received.forPath(userPath)).toEqual([]);
      expect(fixture.world.auth.exchange.counts()).toEqual({});
    });
  });

  it.each<[string, unknown]>([
    ['Basic credentials', { headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } }],
    ['a value with a line break', 'abc\r\nx-injected: 1'],
    ['a token over 16 KiB', 'a'.repeat(16 * 1024 + 1)],
    ['a Fetch Request with two tokens in one header', new Request('http://127.0.0.1/', { headers: { authorization: 'Bearer a, Bearer b' } })],
  ])('a subject that is %s: MCA_INVALID_SUBJECT_TOKEN, nothing sent', async (_label, subject) => {
    await withClient(kind, fixture.world.options(), async (client) => {
      const error = await rejectionOf(onBehalfOf(subject as string, () => client.get(fixture.world.userUrl)));
      expect(mcaCodeOf(error)).toBe(McaErrorCodes.INVALID_SUBJECT_TOKEN);
      expect(fixture.world.api.received.forPath(userPath)).toEqual([]);
      expect(fixture.world.auth.exchange.counts()).toEqual({});
    });
  });

  it('one user’s invalid_grant fails that user only: backed off alone, the other user is served throughout', async () => {
    await withClient(kind, fixture.world.options(), async (client) => {
      const [mallory, alice] = [await fixture.world.userToken('mallory'), await fixture.world.userToken('alice')];
      fixture.world.auth.exchange.refuse('mallory');
      const [refused, served] = await Promise.all([
        rejectionOf(onBehalfOf(mallory, () => client.get(fixture.world.userUrl))),
        onBehalfOf(alice, () => client.get(fixture.world.userUrl)),
      ]);
      expect(mcaCodeOf(refused)).toBe(McaErrorCodes.TOKEN_OAUTH_ERROR);
      expect(whoIsIn(served.authorization).sub).toBe('alice');
      // Mallory's next call fails at once from the backoff, without another exchange; Alice's is a cache hit.
      const again = await rejectionOf(onBehalfOf(mallory, () => client.get(fixture.world.userUrl)));
      expect(mcaCodeOf(again)).toBe(McaErrorCodes.TOKEN_OAUTH_ERROR);
      expect(whoIsIn((await onBehalfOf(alice, () => client.get(fixture.world.userUrl))).authorization).sub).toBe('alice');
      // A new user is not held back by Mallory's failures either.
      const bob = await onBehalfOf(await fixture.world.userToken('bob'), () => client.get(fixture.world.userUrl));
      expect(whoIsIn(bob.authorization).sub).toBe('bob');
      expect(fixture.world.auth.exchange.counts()).toEqual({ mallory: 1, alice: 1, bob: 1 });
      expect(fixture.world.api.received.forPath(userPath).map((request) => whoIsIn(request.authorization).sub)).not.toContain('mallory');
    });
  });
});
