/**
 * Token exchange through every client: neither the user's subject token nor any exchanged token (nor the client
 * secret) shows in what a caller catches or gets back, nor in what mca-oauth logged or published meanwhile,
 * whatever went wrong: no subject, a malformed one, a refused user, a slow exchange, an API that rejects.
 */
import { onBehalfOf, type McaOptions } from '@mca-oauth/core';
import { clientKinds, rejectionOf } from '../faults/support/fault-clients.js';
import { useScanContext } from './scan-context.js';

const scan = useScanContext();

function options(extra: Partial<McaOptions> = {}): McaOptions {
  const { world, observer } = scan;
  return world.options({
    logger: observer.logger,
    timeoutMs: 1_000,
    match: undefined,
    routes: [{ match: `${world.api.url}/api/`, exchange: {}, audience: world.auth.defaultAudience }],
    ...extra,
  });
}

const userUrl = (): string => `${scan.world.api.url}/api/user/echo`;

describe.each(clientKinds)('$name', (kind) => {
  const SCENARIOS: ReadonlyArray<[string, (client: ReturnType<typeof kind.create>) => Promise<unknown>]> = [
    ['a request outside onBehalfOf', (client) => rejectionOf(client.get(userUrl()))],
    [
      'a malformed subject (three words)',
      (client) => {
        const subject = `Bearer ${'m'.repeat(40)} ${'n'.repeat(40)} ${'o'.repeat(40)}`;
        scan.world.rememberSubject(subject);
        return rejectionOf(onBehalfOf(subject, () => client.get(userUrl())));
      },
    ],
    [
      'a user the token server refuses (invalid_grant)',
      async (client) => {
        const subject = await scan.world.subjectToken('refused-user');
        scan.world.auth.exchange.refuse('refused-user');
        return rejectionOf(onBehalfOf(subject, () => client.get(userUrl())));
      },
    ],
    [
      'an exchange slower than timeoutMs',
      async (client) => {
        const subject = await scan.world.subjectToken('slow-user');
        scan.world.auth.exchange.latencyMs = 1_500;
        try {
          return await rejectionOf(onBehalfOf(subject, () => client.get(userUrl())));
        } finally {
          scan.world.auth.exchange.latencyMs = 0;
        }
      },
    ],
    [
      'an API that rejects the exchanged token twice',
      async (client) => {
        const subject = await scan.world.subjectToken('rejected-user');
        scan.world.api.rejectNext(2);
        return onBehalfOf(subject, () => client.get(userUrl()).catch((error: unknown) => error));
      },
    ],
    [
      'a successful exchange',
      // The API echoes the token it got: the caller's answer is reduced to its status (the echo is not ours to print).
      async (client) => onBehalfOf(await scan.world.subjectToken('served-user'), () => client.get(userUrl()).then(({ status }) => ({ status }))),
    ],
  ];

  it.each(SCENARIOS)('%s: no subject token, exchanged token or secret shows', async (_label, scenario) => {
    const client = kind.create(options());
    try {
      const seen = await scenario(client);
      expect(scan.leaksIn({ 'what the caller got': seen })).toEqual([]);
      expect(scan.leaksShownHiddenIn({ 'what the caller got': seen })).toEqual([]);
    } finally {
      await client.close();
      scan.world.auth.exchange.reset();
    }
  });
});
