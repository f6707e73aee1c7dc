/**
 * A got instance with our hooks whose `request` option stands in for the network: got resolves the URL
 * (prefixUrl, searchParams), runs every hook, then hands this function the URL and headers it would give
 * `http.request`. It records them and answers with an empty response, as a cache would.
 */
import { Readable } from 'node:stream';
import got, { type Got } from 'got';
import type { McaOptions } from '@mca-oauth/core';
import { mcaHooks } from '@mca-oauth/got';
import { authorizationIn, isBearer, UNSENT, type Outcome } from './fuzz-run.js';

export interface GotCase {
  readonly input: string | URL;
  readonly prefixUrl?: string;
  readonly searchParams?: Record<string, string> | string;
}

export function describeGotCase(c: GotCase): string {
  return JSON.stringify({ ...c, input: c.input instanceof URL ? `URL(${c.input.href})` : c.input });
}

/** Enough of an IncomingMessage for got to read an empty 200. */
function emptyResponse(url: URL): Readable {
  return Object.assign(Readable.from([]), {
    statusCode: 200,
    statusMessage: 'OK',
    headers: {},
    rawHeaders: [],
    trailers: {},
    url: url.href,
    httpVersion: '1.1',
    complete: true,
  });
}

const KEY = Symbol('outcome');
type Recorded = Readable & { [KEY]?: Outcome };

export function recordingGot(options: McaOptions): Got {
  const request = (url: URL, requestOptions: { headers?: unknown }): Recorded => {
    // Node's http.request(url) sends `pathname + search` to `hostname:port`.
    const wire = { protocol: url.protocol, hostname: url.hostname, port: url.port, target: `${url.pathname}${url.search}` };
    const response: Recorded = emptyResponse(url);
    response[KEY] = { sent: true, wire, stamped: isBearer(authorizationIn(requestOptions.headers)) };
    return response;
  };
  return got.extend(mcaHooks(options), { retry: { limit: 0 }, request: request as never });
}

export async function sendGot(client: Got, c: GotCase): Promise<Outcome> {
  try {
    const response = await client(c.input, { prefixUrl: c.prefixUrl, searchParams: c.searchParams });
    // got hands back the response object the request function returned, decorated.
    return (response as unknown as Recorded)[KEY] ?? UNSENT;
  } catch {
    return UNSENT; // got refused it before sending (no protocol, a leading slash with prefixUrl, ...)
  }
}
