import { DEFAULT_CLIENT, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startDevServer, type DevServer } from '../src/index.js';
import { CLIENT_CREDENTIALS, postForm, rawBasic, send, type Answer } from './helpers.js';

const basic = rawBasic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);

describe('bad token requests', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer({ clients: [DEFAULT_CLIENT, { id: 'reader', secret: 'r', scopes: ['read'] }] });
  });
  afterAll(() => server.close());

  function expectError(answer: Answer, status: number, error: string): void {
    expect({ status: answer.status, error: answer.json?.error }).toEqual({ status, error });
    // RFC 6749 §5.1/§5.2: error answers of the token endpoint are not cacheable either.
    expect(answer.headers.get('cache-control')).toBe('no-store');
  }

  it('answers-unsupported-grant-type-for-an-unknown-grant', async () => {
    expectError(await postForm(server.tokenEndpoint, { grant_type: 'password' }, { authorization: basic }), 400, 'unsupported_grant_type');
    expectError(await postForm(server.mcaTokenEndpoint('t'), { grant_type: 'urn:x' }, { authorization: basic }), 400, 'unsupported_grant_type');
  });

  it('answers-invalid-request-for-a-missing-grant-type', async () => {
    expectError(await postForm(server.tokenEndpoint, { scope: 'x' }, { authorization: basic }), 400, 'invalid_request');
  });

  it('answers-invalid-request-for-a-wrong-content-type', async () => {
    const answer = await send(server.tokenEndpoint, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify(CLIENT_CREDENTIALS),
    });
    expectError(answer, 400, 'invalid_request');
    const none = await send(server.tokenEndpoint, { method: 'POST', headers: { authorization: basic }, body: new Uint8Array([1, 2]) });
    expectError(none, 400, 'invalid_request');
  });

  it('accepts-a-charset-parameter-on-the-form-content-type', async () => {
    const answer = await send(server.tokenEndpoint, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      body: 'grant_type=client_credentials',
    });
    expect(answer.status).toBe(200);
  });

  it('answers-invalid-request-for-an-empty-or-oversized-body', async () => {
    const empty = await send(server.tokenEndpoint, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expectError(empty, 400, 'invalid_request');
    const huge = await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, padding: 'x'.repeat(70 * 1024) }, { authorization: basic });
    expectError(huge, 400, 'invalid_request');
  });

  it('answers-invalid-request-for-a-repeated-parameter', async () => {
    expectError(await postForm(server.tokenEndpoint, { grant_type: ['client_credentials', 'client_credentials'] }, { authorization: basic }), 400, 'invalid_request');
    expectError(await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, scope: ['a', 'b'] }, { authorization: basic }), 400, 'invalid_request');
  });

  it('answers-invalid-scope-for-a-scope-not-allowed-or-malformed', async () => {
    const reader = rawBasic('reader', 'r');
    expect((await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, scope: 'read' }, { authorization: reader })).status).toBe(200);
    expectError(await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, scope: 'read write' }, { authorization: reader }), 400, 'invalid_scope');
    expectError(await postForm(server.tokenEndpoint, { ...CLIENT_CREDENTIALS, scope: 'bad"scope' }, { authorization: basic }), 400, 'invalid_scope');
  });

  it('answers-405-to-a-get-on-the-token-endpoint', async () => {
    const answer = await send(server.tokenEndpoint, { method: 'GET' });
    expectError(answer, 405, 'invalid_request');
    expect(answer.headers.get('allow')).toBe('POST');
  });

  it('answers-400-to-invalid-admin-requests', async () => {
    const notJson = await send(`${server.url}/__admin/faults`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    const badFault = await send(`${server.url}/__admin/faults`, { method: 'POST', body: JSON.stringify({ type: 'status', status: 200 }) });
    expect(badFault.status).toBe(400);
    expect(badFault.json.error_description).toContain('fault.status');
    expect((await send(`${server.url}/__admin/nothing`, { method: 'GET' })).status).toBe(404);
  });
});
