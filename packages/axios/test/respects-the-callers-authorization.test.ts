/** Contract 2: an Authorization the caller set wins (unless overwriteAuthorization), in every form axios takes. */
import { AxiosHeaders, type AxiosError, type AxiosRequestConfig } from 'axios';
import type { EchoBody } from '@mca-oauth/dev-server';
import { protectedClient, tokenRequests, useWorld } from './harness.js';

const context = useWorld();
const MINE = 'Bearer callers-own-token';

/** The protected API refuses the caller's made-up token: what matters is what arrived. */
async function send(config: AxiosRequestConfig, defaults = {}, extra = {}): Promise<(string | undefined)[]> {
  const { http } = protectedClient(context.world, extra, defaults);
  await http.request({ url: '/api/echo', ...config }).catch((error: AxiosError) => {
    if (error.response?.status !== 401) throw error;
  });
  return context.world.api.received.authorizations('/api/echo');
}

describe('respects the caller’s Authorization', () => {
  it.each([
    ['a plain object', { Authorization: MINE }],
    ['a plain object, lower case', { authorization: MINE }],
    ['a plain object, odd case', { AUTHorization: MINE }],
    ['an AxiosHeaders', new AxiosHeaders({ Authorization: MINE })],
  ])('in %s', async (_label, headers) => {
    expect(await send({ headers })).toEqual([MINE]);
    expect(tokenRequests(context.world)).toBe(0);
  });

  it('set on the instance defaults (headers.common)', async () => {
    expect(await send({}, { headers: { common: { Authorization: MINE } } })).toEqual([MINE]);
    expect(tokenRequests(context.world)).toBe(0);
  });

  it('given as auth (HTTP Basic), which axios sends instead of any Authorization header', async () => {
    const received = await send({ auth: { username: 'user', password: 'pass' } });
    expect(received).toEqual([`Basic ${Buffer.from('user:pass').toString('base64')}`]);
    expect(tokenRequests(context.world)).toBe(0);
  });

  it('set to false, axios’s "never send this header"', async () => {
    expect(await send({ headers: { Authorization: false } })).toEqual([undefined]);
    expect(tokenRequests(context.world)).toBe(0);
  });

  describe('with overwriteAuthorization', () => {
    it.each([
      ['a header in any case', { headers: { authorization: MINE } }],
      ['auth (HTTP Basic)', { auth: { username: 'user', password: 'pass' } }],
      ['Authorization: false', { headers: { Authorization: false } }],
    ])('replaces %s with one bearer token', async (_label, config) => {
      const { http } = protectedClient(context.world, { overwriteAuthorization: true });
      const response = await http.request<EchoBody>({ url: '/api/echo', ...config });
      expect(response.status).toBe(200);
      expect(response.data.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(tokenRequests(context.world)).toBe(1);
    });
  });
});
