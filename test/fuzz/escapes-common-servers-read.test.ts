/**
 * The fuzz runs' findings, shrunk by hand: paths that core stamps because its lenient reading of them stays under
 * `/api`, while a common server in front of the API reads them as a path outside it. Each row names the server
 * reading; the same origin gets the token, the wrong route behind it sees it.
 */
import { type AxiosInstance } from 'axios';
import type { Got } from 'got';
import { recordingAxios, sendAxios } from './axios-recorder.js';
import { startFuzzAuth, type FuzzAuth } from './fuzz-auth.js';
import { createOracle } from './wire-oracle.js';
import { PROTECTED_PREFIX } from './adversarial-urls.js';
import type { Outcome } from './fuzz-run.js';
import { recordingGot, sendGot } from './got-recorder.js';
import { recordingInterceptor, recordingMcaAgent, type DispatchRecorder } from './undici-recorder.js';

const ORIGIN = 'https://orders.example.com';

/** [path, how a common server reads it] */
const ESCAPES_EVERY_CLIENT_SENDS: ReadonlyArray<[string, string]> = [
  ['/api//..;/admin', 'Tomcat cuts `;` then merges `//` (RequestUtil.normalize): /admin'],
  ['/api//..%2fadmin', 'nginx decodes %2f and merges `//` (merge_slashes, on by default): /admin'],
  ['/api/..%2fapi;x', 'nginx decodes %2f and keeps `;` as data: /api;x, a sibling of /api'],
];

/** Only undici sends a path verbatim; WHATWG URL in axios, got and fetch rewrites these before sending. */
const ESCAPES_ONLY_VERBATIM: ReadonlyArray<[string, string]> = [
  ['/api//../admin', 'nginx, Apache (MergeSlashes) and Tomcat merge `//` before resolving `..`: /admin'],
  ['/api\\x', 'nginx, Apache and Node treat `\\` as data: /api\\x is not under /api/'],
];

let auth: FuzzAuth;
let axiosClient: AxiosInstance;
let gotClient: Got;
let interceptor: DispatchRecorder;
let agent: DispatchRecorder;

beforeAll(async () => {
  auth = await startFuzzAuth();
  axiosClient = recordingAxios(auth.options());
  gotClient = recordingGot(auth.options());
  interceptor = recordingInterceptor(auth.options());
  agent = recordingMcaAgent(auth.options());
  // Warm every cache with a protected URL, and prove each client does stamp it.
  const warm = await Promise.all([
    sendAxios(axiosClient, { url: `${ORIGIN}/api/x` }),
    sendGot(gotClient, { input: `${ORIGIN}/api/x` }),
    interceptor.send({ origin: ORIGIN, path: '/api/x' }),
    agent.send({ origin: ORIGIN, path: '/api/x' }),
  ]);
  expect(warm.map((outcome) => outcome.sent && outcome.stamped)).toEqual([true, true, true, true]);
});

afterAll(async () => {
  await agent?.close();
  await auth?.close();
});

const clients: ReadonlyArray<[string, (path: string) => Promise<Outcome> | Outcome]> = [
  ['axios', (path) => sendAxios(axiosClient, { url: `${ORIGIN}${path}` })],
  ['got', (path) => sendGot(gotClient, { input: `${ORIGIN}${path}` })],
  ['undici mcaInterceptor', (path) => interceptor.send({ origin: ORIGIN, path })],
  ['undici McaAgent', (path) => agent.send({ origin: ORIGIN, path })],
];

const oracle = createOracle(PROTECTED_PREFIX);

describe.each(clients)('%s', (_client, send) => {
  it.each(ESCAPES_EVERY_CLIENT_SENDS)('sends no token to %s (%s)', async (path) => {
    const outcome = await send(path);
    expect(outcome.sent && oracle.judge(outcome.wire)).toBe('escapes');
    expect(outcome.sent && outcome.stamped).toBe(false);
  });
});

describe.each(clients.filter(([name]) => name.startsWith('undici')))('%s, a path sent verbatim', (_client, send) => {
  it.each(ESCAPES_ONLY_VERBATIM)('sends no token to %s (%s)', async (path) => {
    const outcome = await send(path);
    expect(outcome.sent && oracle.judge(outcome.wire)).toBe('escapes');
    expect(outcome.sent && outcome.stamped).toBe(false);
  });
});

describe.each(clients)('%s, what core already refuses', (_client, send) => {
  it.each([
    ['/api/..;/admin', 'Servlet containers cut `;`: /admin'],
    ['/api/%252e%252e/admin', 'double decoding: /admin'],
    ['/api%2f..%2fadmin', 'a decoded %2f: /admin'],
  ])('sends no token to %s (%s)', async (path) => {
    const outcome = await send(path);
    expect(outcome.sent && oracle.judge(outcome.wire)).not.toBe('inside');
    expect(outcome.sent && outcome.stamped).toBe(false);
  });
});
