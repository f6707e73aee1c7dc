/**
 * With `adapter: 'fetch'` axios hands redirects to fetch, which never calls `beforeRedirect`: the Fetch
 * standard's own policy applies (Authorization dropped on a cross-origin hop, kept on a same-origin one).
 * Stamping and the 401 retry work the same.
 */
import type { AxiosError } from 'axios';
import type { EchoBody } from '@mca-oauth/dev-server';
import { echoedAuthorization, protectedClient, tokenRequests, useWorld } from './harness.js';

const context = useWorld();

describe('the fetch adapter', () => {
  it('stamps matching requests and leaves the others alone', async () => {
    const { world } = context;
    const { http } = protectedClient(world, {}, { adapter: 'fetch' });
    const stamped = await http.get<EchoBody>('/api/echo');
    expect(echoedAuthorization(stamped.data)).toMatch(/^Bearer /);
    const other = await http.get<EchoBody>('/public/echo');
    expect(echoedAuthorization(other.data)).toBeUndefined();
  });

  it('retries once after a 401', async () => {
    const { world } = context;
    const { http } = protectedClient(world, {}, { adapter: 'fetch' });
    world.api.rejectNext(1);
    const response = await http.post<EchoBody>('/api/echo', { order: 7 });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.data.body)).toEqual({ order: 7 });
    expect(tokenRequests(world)).toBe(2);
    world.api.rejectNext(2);
    const error = (await http.get('/api/echo').catch((e: unknown) => e)) as AxiosError;
    expect(error.response?.status).toBe(401);
  });

  it('a cross-origin hop carries no token (fetch drops it)', async () => {
    const { world } = context;
    const { http } = protectedClient(world, {}, { adapter: 'fetch' });
    await http.get(world.redirectUrl(`${world.elsewhere.url}/landing`));
    expect(world.elsewhere.received.authorizations('/landing')).toEqual([undefined]);
    expect(world.api.received.authorizations('/api/redirect')).toEqual([expect.stringMatching(/^Bearer /)]);
  });
});
