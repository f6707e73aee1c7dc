/**
 * Every way a token server can misbehave, through every client: the caller gets its client's usual error
 * carrying the McaError's code, settles without waiting for anything the server holds back, and nothing is
 * sent to the protected API without a token. (Jest 30 fails a test that leaves an unhandled rejection, late
 * ones included, so each test here also proves there is none.)
 */
import { McaErrorCodes, type McaErrorCode, type McaOptions } from '@mca-oauth/core';
import type { Fault } from '@mca-oauth/dev-server';
import { clientKinds, rejectionOf } from './support/fault-clients.js';
import { startFaultWorld, type FaultWorld } from './support/fault-world.js';

let fw: FaultWorld;
beforeAll(async () => {
  fw = await startFaultWorld();
});
beforeEach(() => fw.reset());
afterAll(() => fw.close());

/** The huge-body fault streams this much; a client that buffered it would make the front carry all of it. */
const HUGE_MEGABYTES = 100;
/** Core reads at most 1 MiB of a token response; socket buffers on both sides of the front add a few MiB. */
const BOUNDED_READ_BYTES = 20 * 1024 * 1024;

interface FaultCase {
  readonly name: string;
  readonly code: McaErrorCode;
  readonly options?: Partial<McaOptions>;
  arrange(fw: FaultWorld): void | Promise<void>;
}

const inject = (fault: Fault) => (world: FaultWorld) => void world.world.auth.faults.inject(fault);

const cases: readonly FaultCase[] = [
  { name: 'is down (its port is closed)', code: McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE, arrange: (w) => w.front.down() },
  {
    name: 'accepts connections and drops them unanswered',
    code: McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE,
    arrange: (w) => void (w.front.mode = 'drop-unanswered'),
  },
  {
    name: 'refuses the client (401 invalid_client)',
    code: McaErrorCodes.TOKEN_OAUTH_ERROR,
    options: { secret: 'not-the-secret' },
    arrange: () => undefined,
  },
  { name: 'resets the connection', code: McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE, arrange: inject({ type: 'reset' }) },
  { name: 'answers 500 with an OAuth error body', code: McaErrorCodes.TOKEN_OAUTH_ERROR, arrange: inject({ type: 'status', status: 500 }) },
  {
    name: 'answers 500 with an HTML page',
    code: McaErrorCodes.TOKEN_HTTP_ERROR,
    arrange: inject({ type: 'status', status: 500, body: '<html><body>Internal Server Error</body></html>', contentType: 'text/html' }),
  },
  { name: 'answers 503 with Retry-After', code: McaErrorCodes.TOKEN_OAUTH_ERROR, arrange: inject({ type: 'status', status: 503, retryAfter: 30 }) },
  { name: 'answers 429 with Retry-After', code: McaErrorCodes.TOKEN_OAUTH_ERROR, arrange: inject({ type: 'status', status: 429, retryAfter: 30 }) },
  { name: 'answers 502 with a proxy’s HTML page', code: McaErrorCodes.TOKEN_HTTP_ERROR, arrange: inject({ type: 'status', status: 502 }) },
  { name: 'answers 200 with an HTML body', code: McaErrorCodes.TOKEN_INVALID_RESPONSE, arrange: inject({ type: 'malformed', body: 'non-json' }) },
  { name: 'answers truncated JSON', code: McaErrorCodes.TOKEN_INVALID_RESPONSE, arrange: inject({ type: 'malformed', body: 'truncated-json' }) },
  {
    name: 'answers without access_token',
    code: McaErrorCodes.TOKEN_INVALID_RESPONSE,
    arrange: inject({ type: 'malformed', body: 'missing-access-token' }),
  },
  { name: 'answers token_type mac', code: McaErrorCodes.TOKEN_INVALID_RESPONSE, arrange: inject({ type: 'malformed', body: 'token-type-mac' }) },
];

describe.each(clientKinds)('$name', (kind) => {
  it.each(cases)('a token server that $name: the caller gets its client’s error with $code, nothing is sent', async (fault) => {
    const { code, options, arrange } = fault;
    await arrange(fw);
    const client = kind.create(fw.options(`typed:${kind.name}`, options));
    try {
      const error = await rejectionOf(client.get(fw.protectedUrl));
      expect(kind.describeFailure(error, fw.tokenErrors)).toEqual({ shape: kind.errorShape, code });
      expect(fw.world.api.received.forPath('/api/echo')).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it.each<[string, Fault]>([
    ['answers only after a long delay', { type: 'latency', latencyMs: 20_000 }],
    ['never answers', { type: 'hang' }],
  ])('a token server that %s: MCA_TOKEN_TIMEOUT after core’s timeoutMs, before the server sent one byte', async (_label, fault) => {
    fw.world.auth.faults.inject(fault);
    const client = kind.create(fw.options(`slow:${kind.name}`, { timeoutMs: 300 }));
    try {
      const error = await rejectionOf(client.get(fw.protectedUrl));
      // Settled while the answer was still held: not a byte of it had reached the client.
      expect(fw.front.bytesToClients).toBe(0);
      expect(kind.describeFailure(error, fw.tokenErrors)).toEqual({ shape: kind.errorShape, code: McaErrorCodes.TOKEN_TIMEOUT });
      expect(fw.world.api.received.forPath('/api/echo')).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it.each<[string, boolean]>([
    ['streamed chunked', false],
    ['with its Content-Length', true],
  ])(`a ${HUGE_MEGABYTES} MB token response %s is cut off: MCA_TOKEN_INVALID_RESPONSE after a bounded read`, async (_label, contentLength) => {
    fw.world.auth.faults.inject({ type: 'huge-body', megabytes: HUGE_MEGABYTES, contentLength, times: 1 });
    const client = kind.create(fw.options(`huge:${kind.name}`));
    try {
      const error = await rejectionOf(client.get(fw.protectedUrl));
      expect(kind.describeFailure(error, fw.tokenErrors)).toEqual({ shape: kind.errorShape, code: McaErrorCodes.TOKEN_INVALID_RESPONSE });
      // The client hung up: the front stops carrying bytes once the client is gone (let it see the close).
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fw.front.bytesToClients).toBeGreaterThan(0);
      expect(fw.front.bytesToClients).toBeLessThan(BOUNDED_READ_BYTES);
    } finally {
      await client.close();
    }
  });

  it.each<[string, number]>([
    ['503', 503],
    ['429', 429],
  ])('a %s with Retry-After: 30 is honoured: the next call fails at once, without another token request', async (_label, status) => {
    const scope = `retry-after:${status}:${kind.name}`;
    fw.world.auth.faults.inject({ type: 'status', status, retryAfter: 30, times: 1 });
    const client = kind.create(fw.options(scope));
    try {
      const first = await rejectionOf(client.get(fw.protectedUrl));
      expect(kind.describeFailure(first, fw.tokenErrors).code).toBe(McaErrorCodes.TOKEN_OAUTH_ERROR);
      expect(fw.tokenErrors.events.at(-1)?.retryInMs).toBeGreaterThanOrEqual(30_000);
      // The fault is spent, so a token request now would succeed: none is made.
      const second = await rejectionOf(client.get(fw.protectedUrl));
      expect(kind.describeFailure(second, fw.tokenErrors)).toEqual({ shape: kind.errorShape, code: McaErrorCodes.TOKEN_OAUTH_ERROR });
      expect(fw.tokenRequestsOf(scope).requests).toBe(1);
    } finally {
      await client.close();
    }
  });
});
