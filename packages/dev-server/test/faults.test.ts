import { performance } from 'node:perf_hooks';
import { jwtVerify, createLocalJWKSet } from 'jose';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startDevServer, type DevServer, type MalformedBody } from '../src/index.js';
import { CLIENT_CREDENTIALS, get, postForm, rawBasic, rawRequest, send, until } from './helpers.js';

const basic = rawBasic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
const FORM_HEADERS = { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' };

describe('fault injection', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer();
  });
  afterEach(() => server.faults.clear());
  afterAll(() => server.close());
  const token = () => postForm(server.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: basic });
  const mcaToken = () => postForm(server.mcaTokenEndpoint('t'), CLIENT_CREDENTIALS, { authorization: basic });

  it('applies-queued-faults-in-order-for-their-number-of-uses-then-answers-normally', async () => {
    server.faults.inject({ type: 'status', status: 503, times: 1 });
    server.faults.inject({ type: 'status', status: 429, retryAfter: 7, times: 1 });
    const first = await token();
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(first.json.error).toBe('temporarily_unavailable');
    const second = await mcaToken();
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('7');
    expect((await token()).status).toBe(200);
    expect(server.faults.list()).toEqual([]);
  });

  it('keeps-a-fault-without-times-until-it-is-cleared', async () => {
    server.faults.inject({ type: 'status', status: 500 });
    for (let i = 0; i < 3; i++) expect((await token()).status).toBe(500);
    server.faults.clear();
    expect((await token()).status).toBe(200);
  });

  it('answers-502-with-an-html-body-like-a-proxy', async () => {
    server.faults.inject({ type: 'status', status: 502, times: 1 });
    const answer = await token();
    expect(answer.status).toBe(502);
    expect(answer.headers.get('content-type')).toBe('text/html');
    expect(answer.text).toMatch(/^<html>/);
  });

  it('limits-a-fault-to-its-target-endpoint', async () => {
    server.faults.inject({ type: 'status', status: 500, target: 'mca-token', times: 1 });
    expect((await token()).status).toBe(200);
    expect((await mcaToken()).status).toBe(500);
  });

  it('breaks-token-bodies-in-each-malformed-variant', async () => {
    const keys = createLocalJWKSet(server.jwks);
    const expectations: Record<Exclude<MalformedBody, 'wrong-issuer'>, (text: string, type: string | null) => void> = {
      'non-json': (text, type) => {
        expect(type).toBe('text/html');
        expect(() => JSON.parse(text)).toThrow();
      },
      'truncated-json': (text, type) => {
        expect(type).toBe('application/json');
        expect(text.startsWith('{"access_token":"')).toBe(true);
        expect(() => JSON.parse(text)).toThrow();
      },
      'missing-access-token': (text) => expect(JSON.parse(text)).toEqual({ token_type: 'Bearer', expires_in: 3600 }),
      'token-type-mac': (text) => expect(JSON.parse(text).token_type).toBe('mac'),
      'negative-expires-in': (text) => expect(JSON.parse(text).expires_in).toBe(-60),
      'string-expires-in': (text) => expect(JSON.parse(text).expires_in).toBe('3600'),
      'huge-expires-in': (text) => {
        expect(text).toContain('"expires_in":100000000000000000000');
        expect(JSON.parse(text).expires_in > Number.MAX_SAFE_INTEGER).toBe(true);
      },
      'crlf-in-access-token': (text) => expect(JSON.parse(text).access_token).toMatch(/\r\nX-Injected: yes$/),
    };
    for (const [variant, check] of Object.entries(expectations)) {
      server.faults.inject({ type: 'malformed', body: variant as MalformedBody, times: 1 });
      const answer = await token();
      expect([variant, answer.status]).toEqual([variant, 200]);
      check(answer.text, answer.headers.get('content-type'));
    }
    // Variants that keep a token keep a real one: a client that tolerates them can still use it.
    server.faults.inject({ type: 'malformed', body: 'token-type-mac', times: 1 });
    await expect(jwtVerify((await token()).json.access_token, keys)).resolves.toBeDefined();
  });

  it('streams-a-huge-body-chunked-or-with-content-length', async () => {
    server.faults.inject({ type: 'huge-body', megabytes: 8, times: 1 });
    server.faults.inject({ type: 'huge-body', megabytes: 2, contentLength: true, times: 1 });
    for (const [megabytes, declared] of [
      [8, false],
      [2, true],
    ] as const) {
      const res = await fetch(server.tokenEndpoint, { method: 'POST', headers: FORM_HEADERS, body: 'grant_type=client_credentials' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe(declared ? String(megabytes * 1024 * 1024) : null);
      let bytes = 0;
      for await (const chunk of res.body!) bytes += (chunk as Uint8Array).byteLength;
      expect(bytes).toBe(megabytes * 1024 * 1024);
    }
  });

  it('resets-the-connection', async () => {
    server.faults.inject({ type: 'reset', times: 1 });
    const { done } = rawRequest(server.tokenEndpoint, { method: 'POST', headers: FORM_HEADERS, body: 'grant_type=client_credentials' });
    await expect(done).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await token()).status).toBe(200);
  });

  it('delays-an-answer-by-the-given-latency', async () => {
    server.faults.inject({ type: 'latency', latencyMs: 150, times: 1 });
    const started = performance.now();
    const answer = await token();
    // A lower bound only: timers never fire early by more than the clock's rounding.
    expect(performance.now() - started).toBeGreaterThanOrEqual(149);
    expect(answer.status).toBe(200);
  });

  it('composes-latency-with-another-effect', async () => {
    server.faults.inject({ type: 'status', status: 503, latencyMs: 50, times: 1 });
    const started = performance.now();
    expect((await token()).status).toBe(503);
    expect(performance.now() - started).toBeGreaterThanOrEqual(49);
  });

  it('breaks-discovery-documents', async () => {
    server.faults.inject({ type: 'status', status: 404, target: 'discovery', times: 1 });
    server.faults.inject({ type: 'malformed', body: 'truncated-json', target: 'discovery', times: 1 });
    server.faults.inject({ type: 'malformed', body: 'wrong-issuer', target: 'discovery', times: 1 });
    server.faults.inject({ type: 'malformed', body: 'non-json', target: 'discovery', times: 1 });
    expect((await get(server.metadataUrl)).status).toBe(404);
    expect((await get(server.openidConfigurationUrl)).json).toBeUndefined();
    expect((await get(server.metadataUrl)).json.issuer).toBe('https://wrong-issuer.invalid');
    expect((await get(server.metadataUrl)).headers.get('content-type')).toBe('text/html');
    expect((await get(server.metadataUrl)).json.issuer).toBe(server.issuer);
    // Discovery faults leave the token endpoint alone.
    server.faults.inject({ type: 'status', status: 500, target: 'discovery' });
    expect((await token()).status).toBe(200);
  });

  it('is-switchable-over-http', async () => {
    const created = await send(`${server.url}/__admin/faults`, {
      method: 'POST',
      body: JSON.stringify([{ type: 'status', status: 503, retryAfter: 2 }, { type: 'malformed', body: 'non-json', target: 'jwks' }]),
    });
    expect(created.status).toBe(201);
    expect(created.json.ids).toHaveLength(2);
    const listed = await get(`${server.url}/__admin/faults`);
    expect(listed.json.map((f: { fault: { type: string } }) => f.fault.type)).toEqual(['status', 'malformed']);
    expect((await token()).headers.get('retry-after')).toBe('2');
    expect((await get(server.jwksUri)).json).toBeUndefined();

    expect((await send(`${server.url}/__admin/faults/${created.json.ids[0]}`, { method: 'DELETE' })).status).toBe(204);
    expect((await token()).status).toBe(200);
    expect((await send(`${server.url}/__admin/faults?target=jwks`, { method: 'DELETE' })).status).toBe(204);
    expect((await get(server.jwksUri)).status).toBe(200);
    expect(server.faults.list()).toEqual([]);
  });

  it('validates-faults-when-injected', () => {
    for (const fault of [
      { type: 'latency' },
      { type: 'status', status: 302 },
      { type: 'malformed', body: 'wrong-issuer' },
      { type: 'malformed', body: 'token-type-mac', target: 'discovery' },
      { type: 'huge-body', megabytes: 0 },
      { type: 'reset', times: 0 },
      { type: 'teleport' },
    ]) {
      expect(() => server.faults.inject(fault as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    }
  });
});

describe('hang fault', () => {
  it('holds-the-request-until-close-releases-it', async () => {
    const server = await startDevServer();
    server.faults.inject({ type: 'hang' });
    const held = rawRequest(server.tokenEndpoint, { method: 'POST', headers: FORM_HEADERS, body: 'grant_type=client_credentials' });
    const outcome = held.done.then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    await until(() => server.stats.tokenRequests === 1);
    expect(held.responded()).toBe(false);
    await server.close();
    expect(await outcome).toBe('ECONNRESET');
    expect(held.responded()).toBe(false);
  });

  it('releases-a-request-held-by-latency-on-close', async () => {
    const server = await startDevServer();
    server.faults.inject({ type: 'latency', latencyMs: 600_000, times: 1 });
    const held = rawRequest(server.tokenEndpoint, { method: 'POST', headers: FORM_HEADERS, body: 'grant_type=client_credentials' });
    const outcome = held.done.then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    // The fault leaves the queue when a request takes it: the request has arrived and waits.
    await until(() => server.faults.list().length === 0);
    expect(held.responded()).toBe(false);
    await server.close();
    expect(await outcome).toBe('ECONNRESET');
  });
});
