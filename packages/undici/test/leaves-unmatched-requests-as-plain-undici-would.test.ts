/**
 * Issue #20: a request we do not stamp reaches the next interceptor or dispatcher exactly as it would
 * without the adapter: the same dispatch options and the same handler, nothing of ours in them.
 */
import { Agent, fetch, Pool, request, type Dispatcher } from 'undici';
import { McaAgent, mcaInterceptor } from '../src/index.js';
import { shapeOf, snapshotOf } from '../../../test-support/option-snapshot.js';
import { optionsMatchingNothingHere, useLocalServer } from '../../../test-support/unmatched-requests.js';
import { undiciMajor } from './support/dispatchers.js';

const server = useLocalServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
});
const mcaOptions = optionsMatchingNothingHere;

interface Seen {
  where: string;
  opts: Dispatcher.DispatchOptions;
  handler: object;
}
let seen: Seen[] = [];

/**
 * What a user's interceptor can compare: the options deeply (but `dispatcher`, which request() sets to the
 * dispatcher it was given, McaAgent or Agent), the handler by its kind and keys (its state is the request's).
 */
const comparable = (entries: Seen[]) =>
  entries.map(({ where, opts, handler }) => [where, snapshotOf(opts, ['dispatcher']), shapeOf(handler)]);

const spy =
  (where: string): Dispatcher.DispatcherComposeInterceptor =>
  (dispatch) =>
  (opts, handler) => {
    seen.push({ where, opts, handler });
    return dispatch(opts, handler);
  };

/** The dispatcher an Agent hands each request to (one per origin): what reaches it is what undici sends. */
class SpyPool extends Pool {
  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    seen.push({ where: 'pool', opts, handler });
    return super.dispatch(opts, handler);
  }
}
const factory = (poolOrigin: string | URL, options: object) => new SpyPool(poolOrigin, options as Pool.Options);

function* generatedHeaders(): Generator<[string, string]> {
  yield ['x-app', 'mine'];
}

/** Each way a user sends a request (undici's request() and fetch(), Node's fetch), every header shape undici takes, and a body. */
async function sendEveryKind(dispatcher: Dispatcher): Promise<void> {
  const url = `${server.origin}/orders?page=2`;
  await (await request(url, { dispatcher, headers: { 'x-app': 'mine' } })).body.json();
  await (await request(url, { dispatcher, method: 'POST', headers: ['x-app', 'mine'], body: '{"order":42}' })).body.json();
  await (await dispatcher.request({ origin: server.origin, path: '/orders', method: 'GET', headers: new Map([['x-app', 'mine']]) as never })).body.json();
  await (await dispatcher.request({ origin: server.origin, path: '/orders', method: 'GET', headers: generatedHeaders() as never })).body.json();
  await (await fetch(url, { dispatcher, headers: { 'x-app': 'mine' } })).json();
  await (await fetch(url, { dispatcher, method: 'POST', body: '{"order":42}' })).json();
  // Node's own fetch (its bundled undici) takes the dispatcher too; it passes legacy handlers, which undici 8's
  // Agent refuses whether or not the adapter is there (nodejs/undici#4786).
  if (undiciMajor === 7) await (await globalThis.fetch(url, { dispatcher, headers: { 'x-app': 'mine' } } as unknown as RequestInit)).json();
}

async function whatTheNextLayerSees(dispatcher: Dispatcher): Promise<Seen[]> {
  seen = [];
  try {
    await sendEveryKind(dispatcher);
  } finally {
    await dispatcher.close();
  }
  return seen;
}

describe('mcaInterceptor in compose()', () => {
  it('hands the interceptor composed before it (which runs after it) the very opts and handler it got', async () => {
    const adapted = await whatTheNextLayerSees(new Agent().compose(spy('inner'), mcaInterceptor(mcaOptions), spy('outer')));
    const outer = adapted.filter(({ where }) => where === 'outer');
    const inner = adapted.filter(({ where }) => where === 'inner');
    expect(inner).toHaveLength(undiciMajor === 7 ? 7 : 6);
    inner.forEach(({ opts, handler }, index) => {
      expect(opts).toBe(outer[index]!.opts);
      expect(handler).toBe(outer[index]!.handler);
    });
  });

  it('shows every composed interceptor the same opts and handler as the same chain without it', async () => {
    const plain = await whatTheNextLayerSees(new Agent().compose(spy('inner'), spy('outer')));
    const adapted = await whatTheNextLayerSees(new Agent().compose(spy('inner'), mcaInterceptor(mcaOptions), spy('outer')));
    expect(comparable(adapted)).toStrictEqual(comparable(plain));
  });
});

describe('McaAgent', () => {
  it('hands its per-origin dispatcher the same opts and handler as a plain Agent does', async () => {
    const plain = await whatTheNextLayerSees(new Agent({ factory }));
    const adapted = await whatTheNextLayerSees(new McaAgent({ factory, mca: mcaOptions }));
    expect(plain).toHaveLength(undiciMajor === 7 ? 7 : 6);
    expect(comparable(adapted)).toStrictEqual(comparable(plain));
  });

  it('shows an interceptor composed onto it the same opts and handler as on a plain Agent', async () => {
    const plain = await whatTheNextLayerSees(new Agent({ factory }).compose(spy('outer')));
    const adapted = await whatTheNextLayerSees(new McaAgent({ factory, mca: mcaOptions }).compose(spy('outer')));
    expect(comparable(adapted)).toStrictEqual(comparable(plain));
  });
});
