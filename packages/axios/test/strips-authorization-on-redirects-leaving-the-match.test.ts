/** Contract 3: a hop that leaves the match carries no token; a hop that stays inside keeps it. */
import { Agent } from 'node:https';
import type { AxiosError } from 'axios';
import type { EchoBody } from '@mca-oauth/dev-server';
import { startTlsFront } from '../../../test-support/tls-front.js';
import { echoedAuthorization, protectedClient, tokenRequests, useWorld } from './harness.js';

const context = useWorld();

describe('redirects', () => {
  it.each([301, 302, 303, 307, 308])('a %i inside the match keeps the token', async (status) => {
    const { world } = context;
    const { http } = protectedClient(world);
    const response = await http.get<EchoBody>(world.redirectUrl(`${world.api.url}/api/echo`, status));
    expect(response.status).toBe(200);
    expect(response.data.claims).toBeDefined();
    expect(echoedAuthorization(response.data)).toMatch(/^Bearer /);
  });

  it('a hop to another origin (another port) carries no token', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    const response = await http.get<EchoBody>(world.redirectUrl(`${world.elsewhere.url}/landing`));
    expect(response.data.url).toBe('/landing');
    expect(world.elsewhere.received.authorizations('/landing')).toEqual([undefined]);
    expect(world.api.received.authorizations('/api/redirect')).toEqual([expect.stringMatching(/^Bearer /)]);
  });

  it('a hop from https to http on the same host and port carries no token; https to https keeps it', async () => {
    const { world } = context;
    const front = await startTlsFront(world.api.url);
    const httpsAgent = new Agent({ ca: front.certificate, keepAlive: false });
    try {
      const { http } = protectedClient(world, { match: `${front.httpsUrl}/api` }, { httpsAgent });
      const via = (to: string): string => `${front.httpsUrl}/api/redirect?${new URLSearchParams({ to })}`;
      const kept = await http.get<EchoBody>(via(`${front.httpsUrl}/api/echo`));
      expect(echoedAuthorization(kept.data)).toMatch(/^Bearer /);
      world.api.received.clear();
      // Only the scheme changes: the same path over http arrives without a token, so the API refuses it.
      const downgraded = (await http.get(via(`${front.httpUrl}/api/echo`)).catch((e: unknown) => e)) as AxiosError;
      expect(downgraded.response?.status).toBe(401);
      expect(world.api.received.authorizations('/api/redirect')).toEqual([expect.stringMatching(/^Bearer /)]);
      expect(world.api.received.authorizations('/api/echo')).toEqual([undefined]);
      expect(tokenRequests(world)).toBe(1);
    } finally {
      httpsAgent.destroy();
      await front.close();
    }
  });

  // axios keeps Authorization on a same-origin hop: only our beforeRedirect guard takes it off.
  it.each([302, 307])('a same-origin %i to a path outside the prefix carries no token', async (status) => {
    const { world } = context;
    const { http } = protectedClient(world);
    const response = await http.get<EchoBody>(world.redirectUrl(`${world.api.url}/public/echo`, status));
    expect(response.data.url).toBe('/public/echo');
    expect(world.api.received.authorizations('/public/echo')).toEqual([undefined]);
  });

  it('a hop out of the match and back in carries no token on either: what was taken off stays off', async () => {
    const { world } = context;
    // Only the first redirect (hop=first) and /api/echo match; the second redirect is outside.
    const { http } = protectedClient(world, {
      match: (url: URL) =>
        url.pathname === '/api/echo' || (url.pathname === '/api/redirect' && url.searchParams.get('hop') === 'first'),
    });
    const outside = world.redirectUrl(`${world.api.url}/api/echo`);
    const error = await http.get(`${world.redirectUrl(outside)}&hop=first`).catch((e: AxiosError) => e);
    expect((error as AxiosError).response?.status).toBe(401);
    expect(world.api.received.authorizations('/api/redirect')).toEqual([expect.stringMatching(/^Bearer /), undefined]);
    expect(world.api.received.authorizations('/api/echo')).toEqual([undefined]);
    // The 401 came from a hop without our token: not the token's fault, so no retry and no new token.
    expect(tokenRequests(world)).toBe(1);
  });

  it('runs the caller’s own beforeRedirect after ours, on every hop', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    const seen: { href: string; authorization: unknown }[] = [];
    const response = await http.get<EchoBody>(world.redirectUrl(`${world.api.url}/public/echo`), {
      beforeRedirect: (options) => {
        const headers = options.headers as Record<string, unknown>;
        seen.push({ href: options.href as string, authorization: headers.Authorization ?? headers.authorization });
        headers['X-Hop'] = 'caller';
      },
    });
    expect(seen).toEqual([{ href: `${world.api.url}/public/echo`, authorization: undefined }]);
    expect(response.data.headers['x-hop']).toBe('caller');
  });

  it('keeps a caller-set Authorization to axios’s own policy: a same-origin hop keeps it', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    await http.get(world.redirectUrl(`${world.api.url}/public/echo`), { headers: { Authorization: 'Bearer mine' } });
    expect(world.api.received.authorizations('/public/echo')).toEqual(['Bearer mine']);
    expect(tokenRequests(world)).toBe(0);
  });

  it('does not blame the token for a 401 from a hop that did not carry it', async () => {
    const { world } = context;
    // Only the redirect route matches: the hop to /api/unauthorized (always 401) leaves the match.
    const { http } = protectedClient(world, { match: `${world.api.url}/api/redirect` });
    const error = await http.get(world.redirectUrl(`${world.api.url}/api/unauthorized`)).catch((e: AxiosError) => e);
    expect((error as AxiosError).response?.status).toBe(401);
    expect(world.api.received.authorizations('/api/unauthorized')).toEqual([undefined]);
    expect(world.api.received.authorizations('/api/redirect')).toHaveLength(1);
    expect(tokenRequests(world)).toBe(1);
  });
});
