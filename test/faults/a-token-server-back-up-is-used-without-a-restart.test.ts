/**
 * A token server that was down (its port closed) and comes back at the same address, through every client: the
 * caller got the typed error while it was down, and the same client stamps again once it is back and the backoff
 * after that one failure has run out. Nothing is restarted or rebuilt.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { McaErrorCodes } from '@mca-oauth/core';
import { clientKinds, rejectionOf } from './support/fault-clients.js';
import { startFaultWorld, type FaultWorld } from './support/fault-world.js';

let fw: FaultWorld;
beforeAll(async () => {
  fw = await startFaultWorld();
});
beforeEach(() => fw.reset());
afterAll(() => fw.close());

describe.each(clientKinds)('$name', (kind) => {
  it('down: the typed error; back at the same port: the same client gets a token and stamps', async () => {
    const scope = `back-up:${kind.name}`;
    const client = kind.create(fw.options(scope));
    try {
      await fw.front.down();
      const error = await rejectionOf(client.get(fw.protectedUrl));
      expect(kind.describeFailure(error, fw.tokenErrors)).toEqual({ shape: kind.errorShape, code: McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE });

      await fw.front.up();
      // Until the backoff after that failure runs out, callers get the same error at once.
      const whileBackingOff = new Set<string>();
      const remember = (reason: unknown): void => void whileBackingOff.add(JSON.stringify(kind.describeFailure(reason, fw.tokenErrors)));
      const attempt = () => client.get(fw.protectedUrl).catch(remember);
      let answer = await attempt();
      while (answer === undefined) {
        await sleep(20);
        answer = await attempt();
      }
      expect(answer.status).toBe(200);
      expect(answer.authorization).toMatch(/^Bearer /);
      const unreachable = JSON.stringify({ shape: kind.errorShape, code: McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE });
      expect([...whileBackingOff].filter((failure) => failure !== unreachable)).toEqual([]);
      expect(fw.tokenRequestsOf(scope)).toEqual({ requests: 1, successes: 1, failures: 0 });
    } finally {
      await client.close();
    }
  });
});
