import { DEFAULT_CLIENT_SECRET, type Fault } from '@mca-oauth/dev-server';
import { isMcaError, McaErrorCodes, type McaErrorCode } from '../src/index.js';
import { dispatcherSetups, send } from './support/dispatchers.js';
import { useTestWorld } from './support/world.js';

const world = useTestWorld();
afterEach(() => world.auth.faults.clear());

const failures: ReadonlyArray<[string, Fault, McaErrorCode]> = [
  ['a 502 from a proxy', { type: 'status', status: 502 }, McaErrorCodes.TOKEN_HTTP_ERROR],
  [
    'an OAuth error',
    { type: 'status', status: 401, body: '{"error":"invalid_client"}', contentType: 'application/json' },
    McaErrorCodes.TOKEN_OAUTH_ERROR,
  ],
  ['a body that is not JSON', { type: 'malformed', body: 'non-json' }, McaErrorCodes.TOKEN_INVALID_RESPONSE],
  ['a reset connection', { type: 'reset' }, McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE],
];

describe.each(dispatcherSetups)('$name', ({ create }) => {
  it.each(failures)('%s from the token endpoint rejects request() with the McaError and its code', async (_label, fault, code) => {
    const dispatcher = create(world.options());
    try {
      world.auth.faults.inject(fault);
      const error = await send(dispatcher, `${world.api.url}/api/echo`).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(isMcaError(error)).toBe(true);
      expect((error as { code: string }).code).toBe(code);
      expect(String((error as Error).message)).not.toContain(DEFAULT_CLIENT_SECRET);
      expect(world.api.received.authorizations('/api/echo')).not.toContain(undefined);
    } finally {
      await dispatcher.close();
    }
  });

  it('a token failure sends nothing to the protected API and leaves no unhandled rejection', async () => {
    const dispatcher = create(world.options());
    world.api.received.clear();
    try {
      world.auth.faults.inject({ type: 'status', status: 504 });
      await expect(send(dispatcher, `${world.api.url}/api/echo`)).rejects.toMatchObject({ code: McaErrorCodes.TOKEN_HTTP_ERROR });
      // Jest fails the test that leaves an unhandled rejection behind: let any stray one surface here.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(world.api.received.forPath('/api/echo')).toHaveLength(0);
    } finally {
      await dispatcher.close();
    }
  });
});
