/** Contract 4: a 401 to a stamped request drops that token and sends the request once more, through the same instance. */
import { Readable } from 'node:stream';
import axios, { type AxiosError } from 'axios';
import type { EchoBody } from '@mca-oauth/dev-server';
import { mcaInterceptor, mcaRetryOn401 } from '../src/index.js';
import { echoedAuthorization, protectedClient, tokenRequests, useWorld } from './harness.js';

const context = useWorld();

describe('401 once', () => {
  it('gets a new token and retries; the caller sees only the success', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    world.api.rejectNext(1);
    const response = await http.get<EchoBody>('/api/echo');
    expect(response.status).toBe(200);
    const [first, second] = world.api.received.authorizations('/api/echo');
    expect(first).toMatch(/^Bearer /);
    expect(second).toMatch(/^Bearer /);
    expect(second).not.toBe(first);
    expect(echoedAuthorization(response.data)).toBe(second);
    expect(tokenRequests(world)).toBe(2);
  });

  it('returns a second 401 to the caller, and asks for no third token', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    world.api.rejectNext(2);
    const error = (await http.get('/api/echo').catch((e: unknown) => e)) as AxiosError;
    expect(axios.isAxiosError(error)).toBe(true);
    expect(error.response?.status).toBe(401);
    expect(world.api.received.authorizations('/api/echo')).toHaveLength(2);
    expect(tokenRequests(world)).toBe(2);
  });

  it('sends the same body again', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    world.api.rejectNext(1);
    const response = await http.post<EchoBody>('/api/echo', { order: 42, items: ['a', 'b'] });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.data.body)).toEqual({ order: 42, items: ['a', 'b'] });
    expect(response.data.headers['content-type']).toMatch(/^application\/json/);
  });

  it('goes through the same instance, so its other interceptors run for the retry too', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    let sent = 0;
    http.interceptors.request.use((config) => {
      sent += 1;
      config.headers.set('X-Attempt', String(sent));
      return config;
    });
    world.api.rejectNext(1);
    const response = await http.get<EchoBody>('/api/echo');
    expect(sent).toBe(2);
    expect(response.data.headers['x-attempt']).toBe('2');
  });

  it('does not retry a stream body, which cannot be sent twice, but still drops the token', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    world.api.rejectNext(1);
    const error = (await http.post('/api/echo', Readable.from(['streamed'])).catch((e: unknown) => e)) as AxiosError;
    expect(error.response?.status).toBe(401);
    expect(world.api.received.authorizations('/api/echo')).toHaveLength(1);
    expect(tokenRequests(world)).toBe(1);
    // The refused token is not handed out again: the next request gets a fresh one.
    await http.get('/api/echo');
    expect(tokenRequests(world)).toBe(2);
  });

  it('does not retry, nor drop a token, when the 401 answered the caller’s own Authorization', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    const error = (await http.get('/api/echo', { headers: { Authorization: 'Bearer mine' } }).catch((e: unknown) => e)) as AxiosError;
    expect(error.response?.status).toBe(401);
    expect(world.api.received.authorizations('/api/echo')).toEqual(['Bearer mine']);
    expect(tokenRequests(world)).toBe(0);
  });

  it('leaves other errors alone', async () => {
    const { world } = context;
    const { http } = protectedClient(world);
    const error = (await http.get('/nowhere').catch((e: unknown) => e)) as AxiosError;
    expect(error.response?.status).toBe(404);
    expect(world.api.received.authorizations('/nowhere')).toHaveLength(1);
  });

  it('works as the documented second line on the default axios instance', async () => {
    const { world } = context;
    const stamp = mcaInterceptor(world.options());
    const requestId = axios.interceptors.request.use(stamp);
    const responseId = axios.interceptors.response.use(undefined, mcaRetryOn401(axios, stamp));
    try {
      world.api.rejectNext(1);
      const response = await axios.get<EchoBody>(`${world.api.url}/api/echo`);
      expect(response.status).toBe(200);
      expect(world.api.received.authorizations('/api/echo')).toHaveLength(2);
    } finally {
      axios.interceptors.request.eject(requestId);
      axios.interceptors.response.eject(responseId);
    }
  });

  it('without the response interceptor, a 401 goes straight back', async () => {
    const { world } = context;
    const http = axios.create({ baseURL: world.api.url });
    http.interceptors.request.use(mcaInterceptor(world.options()));
    world.api.rejectNext(1);
    const error = (await http.get('/api/echo').catch((e: unknown) => e)) as AxiosError;
    expect(error.response?.status).toBe(401);
    expect(world.api.received.authorizations('/api/echo')).toHaveLength(1);
  });
});
