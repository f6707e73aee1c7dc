/**
 * axios runs request interceptors last-registered-first (transitional.legacyInterceptorReqResOrdering,
 * true by default), so an interceptor registered before ours runs after it and can still move the request.
 */
import axios from 'axios';
import type { EchoBody } from '@mca-oauth/dev-server';
import { installMca, mcaInterceptor } from '../src/index.js';
import { echoedAuthorization, useWorld } from './harness.js';

const context = useWorld();

describe('interceptor order', () => {
  it('registered first (as documented), ours runs last and judges the URL the others produced', async () => {
    const { world } = context;
    const http = axios.create({ baseURL: world.elsewhere.url });
    installMca(http, world.options());
    http.interceptors.request.use((config) => ({ ...config, baseURL: world.api.url }) as typeof config);
    const response = await http.get<EchoBody>('/api/echo');
    expect(echoedAuthorization(response.data)).toMatch(/^Bearer /);
  });

  it('registered after one that moves the request elsewhere, our token is taken off before it is sent', async () => {
    const { world } = context;
    const http = axios.create({ baseURL: world.api.url });
    http.interceptors.request.use((config) => {
      config.baseURL = world.elsewhere.url;
      return config;
    });
    http.interceptors.request.use(mcaInterceptor(world.options()));
    const response = await http.get<EchoBody>('/api/echo');
    expect(response.data.url).toBe('/api/echo');
    expect(world.elsewhere.received.authorizations('/api/echo')).toEqual([undefined]);
  });

  it('a later interceptor that changes only params keeps the token on a URL that still matches', async () => {
    const { world } = context;
    const http = axios.create({ baseURL: world.api.url });
    http.interceptors.request.use((config) => {
      config.params = { ...config.params, trace: 'abc' };
      return config;
    });
    http.interceptors.request.use(mcaInterceptor(world.options()));
    const response = await http.get<EchoBody>('/api/echo');
    expect(response.data.url).toBe('/api/echo?trace=abc');
    expect(echoedAuthorization(response.data)).toMatch(/^Bearer /);
  });

  it('with transitional.legacyInterceptorReqResOrdering: false, interceptors run in order: register ours last', async () => {
    const { world } = context;
    const http = axios.create({ baseURL: world.elsewhere.url, transitional: { legacyInterceptorReqResOrdering: false } });
    http.interceptors.request.use((config) => {
      config.baseURL = world.api.url;
      return config;
    });
    http.interceptors.request.use(mcaInterceptor(world.options()));
    const response = await http.get<EchoBody>('/api/echo');
    expect(echoedAuthorization(response.data)).toMatch(/^Bearer /);
  });
});
