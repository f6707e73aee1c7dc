import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_TENANT_ID,
  startDevServer,
  startEchoServer,
  startProtectedApi,
  type DevServer,
  type EchoServer,
  type ProtectedApi,
} from '../src/index.js';
import { CLIENT_CREDENTIALS, get, postForm, rawBasic, send } from './helpers.js';

describe('protected API', () => {
  let server: DevServer;
  let api: ProtectedApi;
  let echo: EchoServer;
  let token: string;
  const basic = rawBasic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);

  beforeAll(async () => {
    server = await startDevServer();
    api = await startProtectedApi({ server, receivedLogSize: 3 });
    echo = await startEchoServer();
    token = (await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, scope: 'read' }, { authorization: basic })).json.access_token;
  });
  beforeEach(() => {
    api.stats.reset();
    api.received.clear();
    echo.received.clear();
  });
  afterAll(async () => {
    await Promise.all([server.close(), api.close(), echo.close()]);
  });

  it('echoes-a-post-with-a-valid-token-including-body-headers-and-claims', async () => {
    const answer = await send(`${api.url}/api/echo?x=1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-trace': 'abc' },
      body: '{"hello":"world"}',
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      method: 'POST',
      url: '/api/echo?x=1',
      body: '{"hello":"world"}',
      headers: { authorization: `Bearer ${token}`, 'x-trace': 'abc' },
      claims: { client_id: DEFAULT_CLIENT_ID, scope: 'read' },
    });
    expect(api.stats.accepted).toBe(1);
  });

  it('accepts-an-mca-token-of-the-default-tenant', async () => {
    const mca = await postForm(server.mcaTokenEndpoint(DEFAULT_TENANT_ID), CLIENT_CREDENTIALS, { authorization: basic });
    expect((await get(`${api.url}/api/echo`, { authorization: `Bearer ${mca.json.access_token}` })).status).toBe(200);
  });

  it('answers-401-with-a-bearer-challenge-without-or-with-a-bad-token', async () => {
    const missing = await get(`${api.url}/api/echo`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="mca-oauth-dev"');
    const bad = await get(`${api.url}/api/echo`, { authorization: 'Bearer abc.def.ghi' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    const garbage = await get(`${api.url}/api/echo`, { authorization: 'Bearer \u00ff\u00fe' });
    expect(garbage.status).toBe(401);
    expect(api.stats).toMatchObject({ accepted: 0, rejected: 3 });
  });

  it('rejects-the-next-n-protected-requests-on-demand', async () => {
    api.rejectNext(2);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(`${api.url}/api/echo`, { authorization: `Bearer ${token}` })).status);
    expect(statuses).toEqual([401, 401, 200]);
    expect(api.stats).toMatchObject({ accepted: 1, rejected: 2 });
  });

  it('always-answers-401-on-api-unauthorized', async () => {
    const answer = await get(`${api.url}/api/unauthorized`, { authorization: `Bearer ${token}` });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="mca-oauth-dev", error="invalid_token"/);
  });

  it('redirects-without-requiring-a-token', async () => {
    const target = `${echo.url}/public/echo`;
    const res = await fetch(`${api.url}/api/redirect?to=${encodeURIComponent(target)}&status=307`, { redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe(target);
    const defaultStatus = await fetch(`${api.url}/api/redirect?to=${encodeURIComponent(target)}`, { redirect: 'manual' });
    expect(defaultStatus.status).toBe(302);
    expect((await get(`${api.url}/api/redirect`)).status).toBe(400);
    expect((await get(`${api.url}/api/redirect?to=/x&status=200`)).status).toBe(400);
  });

  it('logs-which-authorization-header-arrived-on-which-path-and-server', async () => {
    const auth = { authorization: `Bearer ${token}` };
    // A redirect to another origin: fetch follows it; the echo server shows what crossed over.
    const followed = await get(`${api.url}/api/redirect?to=${encodeURIComponent(`${echo.url}/public/echo`)}`, auth);
    expect(followed.status).toBe(200);
    expect(api.received.authorizations('/api/redirect')).toEqual([auth.authorization]);
    expect(echo.received.forPath('/public/echo')).toEqual([{ method: 'GET', url: '/public/echo', authorization: undefined }]);

    await get(`${api.url}/public/echo`, auth);
    await get(`${api.url}/public/echo`);
    expect(api.received.authorizations('/public/echo')).toEqual([auth.authorization, undefined]);
    expect(api.received.paths()).toEqual(['/api/redirect', '/public/echo']);
  });

  it('keeps-the-received-log-bounded', async () => {
    for (let i = 0; i < 5; i++) await get(`${api.url}/public/echo?i=${i}`);
    expect(api.received.forPath('/public/echo').map((r) => r.url)).toEqual(['/public/echo?i=2', '/public/echo?i=3', '/public/echo?i=4']);
  });

  it('echoes-unprotected-on-public-and-answers-404-elsewhere', async () => {
    const answer = await send(`${api.url}/public/echo`, { method: 'PUT', body: 'plain' });
    expect(answer.json).toMatchObject({ method: 'PUT', body: 'plain' });
    expect(answer.json.claims).toBeUndefined();
    expect((await get(`${api.url}/elsewhere`)).status).toBe(404);
  });

  it('answers-413-to-an-echo-body-over-a-megabyte', async () => {
    const answer = await send(`${api.url}/public/echo`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(answer.status).toBe(413);
  });

  it('refuses-a-bad-reject-next-count', () => {
    expect(() => api.rejectNext(-1)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
  });
});
