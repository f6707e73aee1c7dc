/**
 * A token server outage under load, with an expired token: 10 s of 50 concurrent request loops per client, all
 * four clients at once (one outage covers them all, so the test costs one outage, not four). Every caller gets the
 * typed error at once, the token server sees no more token requests than core's backoff allows (see
 * support/backoff-bound.ts), and when the server comes back the same clients stamp again without a restart.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { McaErrorCodes } from '@mca-oauth/core';
import { maxTokenRequestsWithin } from './support/backoff-bound.js';
import { clientKinds, type FaultClient } from './support/fault-clients.js';
import { startFaultWorld, type FaultWorld } from './support/fault-world.js';
import { startLoad, type Load } from './support/load.js';

let fw: FaultWorld;
beforeAll(async () => {
  fw = await startFaultWorld();
});
afterAll(() => fw.close());

/** How long the callers keep going while the server is down and their token has expired. */
const LOAD_MS = 10_000;
const CONCURRENCY = 50;
/** The tokens' life: the outage starts while they are valid, the load once they have expired. */
const TOKEN_TTL_MS = 1_000;

interface Tally {
  typedFailures: number;
  otherOutcomes: string[];
}

it(`${LOAD_MS / 1000} s of outage under ${CONCURRENCY} concurrent loops per client: typed errors, backed-off token requests, recovery`, async () => {
  fw.world.auth.setTokenTtl(TOKEN_TTL_MS / 1000);
  const running = clientKinds.map((kind) => ({ kind, scope: `outage:${kind.name}`, client: undefined as FaultClient | undefined }));
  for (const entry of running) {
    entry.client = entry.kind.create(fw.options(entry.scope));
    expect((await entry.client.get(fw.protectedUrl)).status).toBe(200);
  }

  fw.world.auth.faults.inject({ type: 'status', status: 500 });
  const outageStart = performance.now();
  // Let the tokens expire, with nobody asking: from here on every request needs a new token.
  await sleep(TOKEN_TTL_MS + 100);
  const tallies = new Map<string, Tally>();
  let outageEnd = Number.POSITIVE_INFINITY;
  const loads: Load[] = running.map(({ kind, client }) => {
    const tally: Tally = { typedFailures: 0, otherOutcomes: [] };
    tallies.set(kind.name, tally);
    return startLoad(client as FaultClient, fw.protectedUrl, CONCURRENCY, (outcome) => {
      if (outcome.answer?.status === 200 && outcome.at > outageEnd) return;
      const failure = outcome.error === undefined ? undefined : kind.describeFailure(outcome.error, fw.tokenErrors);
      if (failure?.shape === kind.errorShape && failure.code === McaErrorCodes.TOKEN_OAUTH_ERROR) tally.typedFailures += 1;
      else if (tally.otherOutcomes.length < 5) tally.otherOutcomes.push(JSON.stringify(failure ?? outcome.answer));
    });
  });
  try {
    await sleep(LOAD_MS);
    fw.world.auth.faults.clear();
    fw.world.auth.setTokenTtl(3600);
    outageEnd = performance.now();
    // Recovery comes when each client's backoff runs out: at most 16 s after its last failure here (the 6th).
    await Promise.all(loads.map((load) => load.until((outcome) => outcome.answer?.status === 200)));
  } finally {
    await Promise.all(loads.map((load) => load.stop()));
    await Promise.all(running.map(({ client }) => client?.close()));
  }

  // Every failed token request started between the fault and its end (one in flight at the end started before).
  const bound = maxTokenRequestsWithin(outageEnd - outageStart);
  for (const { kind, scope } of running) {
    const { failures, successes } = fw.tokenRequestsOf(scope);
    const { typedFailures, otherOutcomes } = tallies.get(kind.name) as Tally;
    expect({
      client: kind.name,
      otherOutcomes,
      typedErrorsSeen: typedFailures >= CONCURRENCY,
      tokenRequestsDuringOutage: failures >= 1 && failures <= bound ? 'within the backoff bound' : `${failures}, bound ${bound}`,
      // One for the first token, one once the server is back: the same client recovered, no restart.
      successfulTokenRequests: successes,
    }).toEqual({
      client: kind.name,
      otherOutcomes: [],
      typedErrorsSeen: true,
      tokenRequestsDuringOutage: 'within the backoff bound',
      successfulTokenRequests: 2,
    });
  }
}, 60_000);
