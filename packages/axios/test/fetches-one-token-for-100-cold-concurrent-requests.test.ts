/** Cold concurrency: requests that start together with an empty cache share one token request. */
import type { AxiosError } from 'axios';
import type { EchoBody } from '@mca-oauth/dev-server';
import { echoedAuthorization, protectedClient, tokenRequests, useWorld } from './harness.js';

const context = useWorld();

describe('cold concurrency', () => {
  it('100 concurrent requests, empty cache: exactly 1 token request, every request stamped with it', async () => {
    const { world } = context;
    // A slow token response keeps every request waiting on the same fetch.
    world.auth.faults.inject({ type: 'latency', latencyMs: 50, times: 1 });
    const { http } = protectedClient(world);
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => http.get<EchoBody>(`/api/echo?i=${i}`)));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(new Set(responses.map((response) => echoedAuthorization(response.data))).size).toBe(1);
    expect(tokenRequests(world)).toBe(1);
    expect(world.api.stats.accepted).toBe(100);
  });

  it('100 concurrent requests refused with the same token: it is replaced once, not 100 times', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    await http.get('/api/echo');
    world.api.stats.reset();
    world.api.rejectNext(100);
    const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => http.get('/api/echo')));
    // Which retries still fall within the 100 refusals depends on arrival order; the token count does not.
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused.every((outcome) => (outcome.reason as AxiosError).response?.status === 401)).toBe(true);
    expect(tokenRequests(world)).toBe(2);
    // Every request was refused once and sent once more.
    expect(world.api.stats.accepted + world.api.stats.rejected).toBe(200);
  });
});
