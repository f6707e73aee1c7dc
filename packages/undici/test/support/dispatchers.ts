/** The two ways to use the adapter, built the same way in every test, and a small request helper. */
import * as undici from 'undici';
import { Agent, interceptors, type Dispatcher } from 'undici';
import { McaAgent, mcaInterceptor, type McaOptions } from '../../src/index.js';

/** 8 on the newest-majors leg (jest maps `undici` to undici-next there), else 7. */
export const undiciMajor: 7 | 8 = 'Dispatcher1Wrapper' in undici ? 8 : 7;

export interface DispatcherSetup {
  readonly name: string;
  /** It has undici's redirect interceptor. */
  readonly followsRedirects: boolean;
  create(options: McaOptions): Dispatcher;
}

export const dispatcherSetups: readonly DispatcherSetup[] = [
  {
    name: 'Agent.compose(mcaInterceptor, redirect)',
    followsRedirects: true,
    create: (options) => new Agent().compose(mcaInterceptor(options), interceptors.redirect({ maxRedirections: 3 })),
  },
  {
    name: 'McaAgent.compose(redirect)',
    followsRedirects: true,
    create: (options) => new McaAgent({ mca: options }).compose(interceptors.redirect({ maxRedirections: 3 })),
  },
  {
    // Nothing composed in front: under undici 7, request() hands McaAgent its legacy handler as it is.
    name: 'McaAgent',
    followsRedirects: false,
    create: (options) => new McaAgent({ mca: options }),
  },
];

export const redirectingDispatcherSetups = dispatcherSetups.filter((setup) => setup.followsRedirects);

export interface EchoResponse {
  statusCode: number;
  /** The parsed JSON body (the echo of what the server received). */
  json: { url?: string; method?: string; body?: string; headers?: Record<string, string | string[] | undefined>; claims?: Record<string, unknown>; error?: string };
}

/** Sends one request through `dispatcher` and reads the whole JSON answer. */
export async function send(
  dispatcher: Dispatcher,
  url: string,
  options: { method?: Dispatcher.HttpMethod; headers?: unknown; body?: unknown; signal?: AbortSignal } = {},
): Promise<EchoResponse> {
  const { origin, pathname, search } = new URL(url);
  const response = await dispatcher.request({
    origin,
    path: pathname + search,
    method: options.method ?? 'GET',
    headers: options.headers as Dispatcher.DispatchOptions['headers'],
    body: options.body as Dispatcher.DispatchOptions['body'],
    signal: options.signal,
  });
  const text = await response.body.text();
  return { statusCode: response.statusCode, json: text === '' ? {} : (JSON.parse(text) as EchoResponse['json']) };
}
