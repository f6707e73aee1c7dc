import { DEFAULT_CLIENT, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startDevServer, statsKey, type DevServer } from '../src/index.js';
import { CLIENT_CREDENTIALS, get, postForm, rawBasic, send } from './helpers.js';

const basic = rawBasic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);

describe('token request counters', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer({ clients: [DEFAULT_CLIENT, { id: 'other', secret: 'o' }] });
  });
  beforeEach(() => server.stats.reset());
  afterAll(() => server.close());

  it('counts-exactly-one-request-per-token-request', async () => {
    expect(server.stats.tokenRequests).toBe(0);
    await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: basic });
    expect(server.stats.tokenRequests).toBe(1);
    expect(server.stats.snapshot().tokenRequests).toEqual({ requests: 1, successes: 1, failures: 0, faulted: 0 });
  });

  it('counts-per-client-and-per-key-with-scope-order-ignored', async () => {
    await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, scope: 'b a', audience: 'api' }, { authorization: basic });
    await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, scope: 'a b', audience: 'api' }, { authorization: basic });
    await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, resource: 'https://r.example' }, { authorization: rawBasic('other', 'o') });
    await postForm(server.mcaTokenEndpoint('tenant-9'), CLIENT_CREDENTIALS, { authorization: rawBasic('other', 'o') });
    const snapshot = server.stats.snapshot();
    expect(snapshot.byClient).toEqual({
      [DEFAULT_CLIENT_ID]: { requests: 2, successes: 2, failures: 0 },
      other: { requests: 2, successes: 2, failures: 0 },
    });
    expect(snapshot.byKey[statsKey({ clientId: DEFAULT_CLIENT_ID, scope: 'a b', audience: 'api' })]).toEqual({ requests: 2, successes: 2, failures: 0 });
    expect(snapshot.byKey[statsKey({ clientId: 'other', resource: ['https://r.example'] })]?.requests).toBe(1);
    expect(snapshot.byKey[statsKey({ clientId: 'other', audience: 'tenant-9' })]?.requests).toBe(1);
    expect(snapshot.byProtocol).toEqual({ oauth: { requests: 3, successes: 3, failures: 0 }, mca: { requests: 1, successes: 1, failures: 0 } });
  });

  it('counts-failures-and-faults-under-the-claimed-client', async () => {
    await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: rawBasic('other', 'wrong') });
    server.faults.inject({ type: 'status', status: 503, times: 1 });
    await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: basic });
    const snapshot = server.stats.snapshot();
    expect(snapshot.tokenRequests).toEqual({ requests: 2, successes: 0, failures: 2, faulted: 1 });
    expect(snapshot.byClient.other).toEqual({ requests: 1, successes: 0, failures: 1 });
    expect(snapshot.byClient[DEFAULT_CLIENT_ID]).toEqual({ requests: 1, successes: 0, failures: 1 });
  });

  it('serves-and-resets-the-counters-over-http', async () => {
    await postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: basic });
    const overHttp = await get(`${server.url}/__admin/stats`);
    expect(overHttp.status).toBe(200);
    expect(overHttp.json).toEqual(server.stats.snapshot());
    expect(overHttp.json.tokenRequests.requests).toBe(1);
    expect((await send(`${server.url}/__admin/stats`, { method: 'DELETE' })).status).toBe(204);
    expect(server.stats.tokenRequests).toBe(0);
    expect(server.stats.snapshot().byKey).toEqual({});
  });

  it('does-not-count-admin-requests-as-token-requests', async () => {
    await get(`${server.url}/__admin/stats`);
    await get(`${server.url}/__admin/faults`);
    expect(server.stats.tokenRequests).toBe(0);
  });
});
