/**
 * Our undici interceptor and McaAgent over a dispatch that stands in for the network: it records the options
 * undici would connect and send with, after the same checks undici makes (parseOrigin in Client/Pool, the
 * request-path check of lib/core/request.js), and whether our token is in their headers.
 */
import { EventEmitter } from 'node:events';
import type { McaOptions } from '@mca-oauth/core';
import { McaAgent, mcaInterceptor } from '@mca-oauth/undici';
import { authorizationIn, isBearer, UNSENT, type Outcome } from './fuzz-run.js';
import type { WireRequest } from './wire-oracle.js';

export interface DispatchCase {
  readonly origin: string | URL;
  readonly path: string;
}

type Dispatch = (opts: DispatchCase & { method: string; headers?: unknown }, handler: object) => boolean;

/** undici refuses a path with anything outside 0x21-0xFF (lib/core/request.js). */
const INVALID_PATH = /[^\u0021-\u00ff]/;

export function describeDispatchCase(c: DispatchCase): string {
  return JSON.stringify({ origin: c.origin instanceof URL ? `URL(${c.origin.href})` : c.origin, path: c.path });
}

/** Where undici would connect and what request-target it would send, or `undefined` when it refuses. */
export function wireOfDispatch(opts: { origin?: unknown; path?: unknown }): WireRequest | undefined {
  let url: URL;
  try {
    if (opts.origin instanceof URL) url = opts.origin;
    else if (typeof opts.origin === 'string') url = new URL(opts.origin);
    else return undefined;
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search !== '' || url.hash !== '') return undefined;
  const { path } = opts;
  if (typeof path !== 'string' || INVALID_PATH.test(path)) return undefined;
  if (!path.startsWith('/') && !path.startsWith('http://') && !path.startsWith('https://')) return undefined;
  return { protocol: url.protocol, hostname: url.hostname, port: url.port, target: path };
}

function outcomeOf(opts: { origin?: unknown; path?: unknown; headers?: unknown }): Outcome {
  const wire = wireOfDispatch(opts);
  return wire === undefined ? UNSENT : { sent: true, wire, stamped: isBearer(authorizationIn(opts.headers)) };
}

export interface DispatchRecorder {
  /** Synchronous once a token is cached; a promise while the interceptor waits for one. */
  send(c: DispatchCase): Outcome | Promise<Outcome>;
  close(): Promise<void>;
}

/** Runs `dispatch` and returns what reached the fake, at once or when the token arrives. */
function recorderOver(install: (record: (opts: Parameters<Dispatch>[0]) => void) => Dispatch, close: () => Promise<void>): DispatchRecorder {
  let settle: ((outcome: Outcome) => void) | undefined;
  const dispatch = install((opts) => settle?.(outcomeOf(opts)));
  return {
    send(c) {
      let outcome: Outcome | undefined;
      let resolveLater: ((outcome: Outcome) => void) | undefined;
      settle = (recorded) => {
        outcome ??= recorded;
        resolveLater?.(recorded);
      };
      // The fake never answers, so the only callback that can come is an error: undici refused the request.
      const handler = { onRequestStart() {}, onResponseError: () => settle?.(UNSENT) };
      try {
        dispatch({ ...c, method: 'GET' }, handler);
      } catch {
        return UNSENT;
      }
      if (outcome !== undefined) return outcome;
      return new Promise<Outcome>((resolve) => (resolveLater = resolve));
    },
    close,
  };
}

/** `mcaInterceptor(options)(fakeDispatch)`: the interceptor as `Agent.compose()` would install it. */
export function recordingInterceptor(options: McaOptions): DispatchRecorder {
  return recorderOver((record) => {
    const fake = (opts: Parameters<Dispatch>[0]) => (record(opts), true);
    return mcaInterceptor(options)(fake as never) as unknown as Dispatch;
  }, async () => {});
}

/** Stands in for the Pool an Agent creates per origin. */
class RecordingPool extends EventEmitter {
  constructor(private readonly record: (opts: Parameters<Dispatch>[0]) => void) {
    super();
  }

  dispatch(opts: Parameters<Dispatch>[0]): boolean {
    this.record(opts);
    return true;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  destroy(): Promise<void> {
    return Promise.resolve();
  }
}

/** `new McaAgent({ mca: options })` whose Agent creates recording pools instead of connecting. */
export function recordingMcaAgent(options: McaOptions): DispatchRecorder {
  let agent: McaAgent | undefined;
  return recorderOver(
    (record) => {
      agent = new McaAgent({ mca: options, factory: (() => new RecordingPool(record)) as never });
      const created = agent;
      return ((opts, handler) => created.dispatch(opts as never, handler as never)) as Dispatch;
    },
    async () => {
      await agent?.close();
    },
  );
}
