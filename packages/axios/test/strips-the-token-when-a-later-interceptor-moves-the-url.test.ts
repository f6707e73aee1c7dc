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

/** The guard is for a cache hit, stamped in the interceptor: an interceptor whose token is cached already. */
async function interceptorWithTokenCached(world: (typeof context)['world']): Promise<ReturnType<typeof mcaInterceptor>> {
  const stamp = mcaInterceptor(world.options());
  const warm = axios.create({ baseURL: world.api.url });
  warm.interceptors.request.use(stamp);
  await warm.get('/api/echo');
  return stamp;
}

describe('the final-URL guard', () => {
  // axios normalizes (and re-sanitizes) every header before each transformRequest step, so a step of
  // our own would cost every request one more pass over the token.
  it('wraps the first transformRequest step instead of adding one, and the caller’s steps still run', async () => {
    const { world } = context;
    const seen: string[] = [];
    const http = axios.create({
      baseURL: world.api.url,
      transformRequest: [(data: unknown) => (seen.push('first'), data), (data: unknown) => (seen.push('second'), data)],
    });
    installMca(http, world.options());
    const response = await http.get<EchoBody>('/api/echo');
    expect(echoedAuthorization(response.data)).toMatch(/^Bearer /);
    expect(response.config.transformRequest).toHaveLength(2);
    expect(seen).toEqual(['first', 'second']);
  });

  it('stands alone when there is no step to wrap, and still takes the token off a moved request', async () => {
    const { world } = context;
    const stamp = await interceptorWithTokenCached(world);
    const http = axios.create({ baseURL: world.api.url, transformRequest: [] });
    http.interceptors.request.use((config) => {
      config.baseURL = world.elsewhere.url;
      return config;
    });
    http.interceptors.request.use(stamp);
    const response = await http.get<EchoBody>('/api/echo');
    expect(response.config.transformRequest).toHaveLength(1);
    expect(world.elsewhere.received.authorizations('/api/echo')).toEqual([undefined]);
  });

  it('is not needed on a cache miss: the request waits for its token in the adapter step, where the URL is final', async () => {
    const { world } = context;
    const http = axios.create({ baseURL: world.api.url, transformRequest: [] });
    http.interceptors.request.use((config) => {
      config.baseURL = world.elsewhere.url;
      return config;
    });
    http.interceptors.request.use(mcaInterceptor(world.options()), undefined, { synchronous: true });
    const response = await http.get<EchoBody>('/api/echo');
    expect(response.config.transformRequest).toEqual([]);
    expect(world.elsewhere.received.authorizations('/api/echo')).toEqual([undefined]);
  });

  it('is replaced, not nested, when the config is sent again (the 401 retry), and each step runs once', async () => {
    const { world } = context;
    let runs = 0;
    const http = axios.create({ baseURL: world.api.url, transformRequest: [(data: unknown) => (runs++, data)] });
    installMca(http, world.options());
    await http.get('/api/echo');
    world.api.rejectNext(1);
    runs = 0;
    const response = await http.get<EchoBody>('/api/echo');
    expect(response.status).toBe(200);
    expect(response.config.transformRequest).toHaveLength(1);
    // Once for the rejected attempt, once for the retry: the retry's guard wraps the caller's step, not ours.
    expect(runs).toBe(2);
  });

  it('is one function shared by requests, not a closure per request, and never changes the caller’s array', async () => {
    const { world } = context;
    const steps = [(data: unknown) => data];
    const http = axios.create({ baseURL: world.api.url, transformRequest: steps });
    installMca(http, world.options());
    await http.get('/api/echo');
    const first = await http.get<EchoBody>('/api/echo');
    const second = await http.get<EchoBody>('/api/echo');
    expect(echoedAuthorization(second.data)).toMatch(/^Bearer /);
    const [a, b] = [first.config.transformRequest, second.config.transformRequest] as unknown as [Function[], Function[]];
    expect(a).not.toBe(b);
    expect(a[0]).toBe(b[0]);
    expect(a[0]).not.toBe(steps[0]);
    expect(steps).toHaveLength(1);
    expect(http.defaults.transformRequest).toEqual(steps);
  });

  it('still takes the token off when a later interceptor moves the request and replaces our redirect guard', async () => {
    const { world } = context;
    const stamp = await interceptorWithTokenCached(world);
    const http = axios.create({ baseURL: world.api.url });
    http.interceptors.request.use((config) => {
      config.baseURL = world.elsewhere.url;
      config.beforeRedirect = () => undefined;
      return config;
    });
    http.interceptors.request.use(stamp);
    const response = await http.get<EchoBody>('/api/echo');
    expect(response.data.url).toBe('/api/echo');
    expect(world.elsewhere.received.authorizations('/api/echo')).toEqual([undefined]);
  });
});
