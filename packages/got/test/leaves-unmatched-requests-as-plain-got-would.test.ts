/**
 * Issue #20: a request we do not stamp looks to every hook of the user's exactly as it would without
 * mcaHooks(): no key in its options, context or headers, symbol keys included.
 */
import got, { type ExtendOptions, type Got, type Options } from 'got';
import { mcaHooks } from '../src/index.js';
import { snapshotOf } from '../../../test-support/option-snapshot.js';
import { optionsMatchingNothingHere, useLocalServer } from '../../../test-support/unmatched-requests.js';

const server = useLocalServer((req, res) => {
  // A redirect, then a 503 that got retries once: every kind of hook runs for one request.
  if (req.url === '/start') res.writeHead(302, { location: '/unavailable', 'content-length': 0 }).end();
  else res.writeHead(503, { 'content-type': 'text/plain' }).end('try later');
});
const mcaOptions = optionsMatchingNothingHere;

// One retry without a wait; the same function for both clients, so it compares equal by identity.
const retry = { limit: 1, calculateDelay: ({ computedValue }: { computedValue: number }) => (computedValue === 0 ? 0 : 1) };

type Seen = [hook: string, snapshot: unknown][];

function optionsOf(options: Pick<Options, 'toJSON'> | undefined): unknown {
  return snapshotOf(options?.toJSON(), ['hooks']);
}

function recordingHooks(seen: Seen): ExtendOptions {
  return {
    retry,
    context: { tenant: 'acme' },
    headers: { 'x-app': 'mine' },
    hooks: {
      init: [(plain, options) => void seen.push(['init', [snapshotOf(plain, ['hooks']), optionsOf(options)]])],
      beforeRequest: [(options) => void seen.push(['beforeRequest', optionsOf(options)])],
      beforeRedirect: [(options) => void seen.push(['beforeRedirect', optionsOf(options)])],
      beforeRetry: [(error) => void seen.push(['beforeRetry', optionsOf(error.options)])],
      afterResponse: [
        (response) => {
          seen.push(['afterResponse', optionsOf(response.request.options)]);
          return response;
        },
      ],
      beforeError: [
        (error) => {
          seen.push(['beforeError', optionsOf(error.options)]);
          return error;
        },
      ],
    },
  };
}

async function hooksSeeThrough(client: (seen: Seen) => Got): Promise<Seen> {
  const seen: Seen = [];
  const instance = client(seen);
  // got runs init hooks when extend() merges later options too (ours among them): only the request's count.
  seen.length = 0;
  await expect(instance.get(`${server.origin}/start`, { context: { requestId: 7 } })).rejects.toMatchObject({ response: { statusCode: 503 } });
  return seen;
}

it('shows every hook of the user the same options as plain got, when the user hooks run after ours', async () => {
  const plain = await hooksSeeThrough((seen) => got.extend(recordingHooks(seen)));
  const adapted = await hooksSeeThrough((seen) => got.extend(mcaHooks(mcaOptions), recordingHooks(seen)));
  expect(plain.map(([hook]) => hook)).toEqual(
    expect.arrayContaining(['init', 'beforeRequest', 'beforeRedirect', 'beforeRetry', 'afterResponse', 'beforeError']),
  );
  expect(adapted).toStrictEqual(plain);
});

it('shows every hook of the user the same options as plain got, when the user hooks run before ours', async () => {
  const plain = await hooksSeeThrough((seen) => got.extend(recordingHooks(seen)));
  const adapted = await hooksSeeThrough((seen) => got.extend(recordingHooks(seen), mcaHooks(mcaOptions)));
  expect(adapted).toStrictEqual(plain);
});

it('leaves no key of ours in the context of an unmatched request, symbol keys included', async () => {
  const contexts: (string | symbol)[][] = [];
  const client = got.extend(mcaHooks(mcaOptions), {
    retry,
    hooks: { beforeError: [(error) => (contexts.push(Reflect.ownKeys(error.options.context)), error)] },
  });
  await expect(client.get(`${server.origin}/start`, { context: { requestId: 7 } })).rejects.toThrow();
  expect(contexts).toEqual([['requestId']]);
});
