/** Contract 1: the token goes on requests whose URL, as axios really builds it, matches; nothing else is touched. */
import { inspect } from 'node:util';
import axios, { type AxiosResponse } from 'axios';
import type { EchoBody } from '@mca-oauth/dev-server';
import { mcaInterceptor } from '../src/index.js';
import { echoedAuthorization, protectedClient, tokenRequests, useWorld } from './harness.js';

const context = useWorld();

describe('stamps requests whose full URL matches', () => {
  it('stamps baseURL + url, the token the protected API accepts', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    const response = await http.get<EchoBody>('/api/echo');
    expect(response.status).toBe(200);
    expect(echoedAuthorization(response.data)).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(response.data.claims).toBeDefined();
    expect(tokenRequests(world)).toBe(1);
  });

  it('works as the one-liner on the default axios instance', async () => {
    const { world } = context;
    const id = axios.interceptors.request.use(mcaInterceptor(world.options()));
    try {
      const response = await axios.get<EchoBody>(`${world.api.url}/api/echo`);
      expect(echoedAuthorization(response.data)).toMatch(/^Bearer /);
      const other = await axios.get<EchoBody>(`${world.elsewhere.url}/anything`);
      expect(echoedAuthorization(other.data)).toBeUndefined();
    } finally {
      axios.interceptors.request.eject(id);
    }
  });

  it('judges the URL with params appended by the paramsSerializer', async () => {
    const { world } = context;
    // A predicate sees the query: only the serializer's output says whether this request is for tenant a.
    const { http } = protectedClient(world, {
      match: (url: URL) => url.pathname.startsWith('/api/') && url.searchParams.get('tenant') === 'a',
    });
    const serializeAsTenantA = { serialize: () => 'tenant=a' };
    const stamped = await http.get<EchoBody>('/api/echo', { params: { tenant: 'b' }, paramsSerializer: serializeAsTenantA });
    expect(stamped.data.url).toBe('/api/echo?tenant=a');
    expect(echoedAuthorization(stamped.data)).toMatch(/^Bearer /);

    const notStamped = await http
      .get<EchoBody>('/api/echo', { params: { tenant: 'b' } })
      .catch((error: { response: AxiosResponse<unknown> }) => error.response);
    expect(notStamped.status).toBe(401);
    expect(world.api.received.authorizations('/api/echo')).toEqual([expect.stringMatching(/^Bearer /), undefined]);
  });

  it('follows an absolute url away from baseURL, as axios does by default', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    const response = await http.get<EchoBody>(`${world.elsewhere.url}/api/echo`);
    expect(response.data.url).toBe('/api/echo');
    expect(world.elsewhere.received.authorizations('/api/echo')).toEqual([undefined]);
    expect(tokenRequests(world)).toBe(0);
  });

  it('with allowAbsoluteUrls: false, judges baseURL + the absolute url, where axios really sends it', async () => {
    const { world } = context;
    const { http } = protectedClient(world, {}, { baseURL: `${world.api.url}/api`, allowAbsoluteUrls: false });
    const response = await http.get<EchoBody>(`${world.elsewhere.url}/echo`);
    // axios glued the absolute URL under baseURL: the protected API got it, and needed the token.
    expect(response.status).toBe(200);
    expect(response.data.url).toBe(`/api/${world.elsewhere.url}/echo`);
    expect(echoedAuthorization(response.data)).toMatch(/^Bearer /);
    expect(world.elsewhere.received.paths()).toEqual([]);
  });

  it('resolves dot segments as the request line does: ../ out of the prefix carries no token', async () => {
    const { world } = context;
    const { http } = protectedClient(world, {}, { baseURL: `${world.api.url}/api` });
    const response = await http.get<EchoBody>('../public/echo');
    expect(response.data.url).toBe('/public/echo');
    expect(echoedAuthorization(response.data)).toBeUndefined();
    expect(tokenRequests(world)).toBe(0);
  });

  it('keeps no copy of the token beyond the header axios sends: inspecting the config shows it once', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    const response = await http.get<EchoBody>('/api/echo');
    const token = echoedAuthorization(response.data)!.slice('Bearer '.length);
    const shown = inspect(response.config, { depth: 10, showHidden: false });
    expect(shown.split(token)).toHaveLength(2);
  });

  it('leaves other requests untouched: no header, no hook, no transform added', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    const before = http.defaults.transformRequest;
    const response = await http.get<EchoBody>('/public/echo');
    expect(echoedAuthorization(response.data)).toBeUndefined();
    expect(response.config.beforeRedirect).toBeUndefined();
    expect(response.config.transformRequest).toEqual(before);
    expect(Object.getOwnPropertySymbols(response.config)).toEqual([]);
    expect(tokenRequests(world)).toBe(0);
  });

  it('does not stamp a socketPath request, whatever host its URL names', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    // No socket listens there, so the request fails; a stamp would have cost a token request first.
    await expect(http.get('/api/echo', { socketPath: '/nonexistent/mca-oauth.sock' })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(tokenRequests(world)).toBe(0);
  });
});
