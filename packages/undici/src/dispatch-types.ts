/**
 * The slice of undici's dispatcher contract this adapter relies on, written out so the stamping code
 * does not depend on which major's type declarations are installed (undici 7 has both handler shapes,
 * undici 8 only the new one: https://github.com/nodejs/undici/pull/4786).
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The controller undici hands a new-style handler; `pause`/`resume` drive backpressure. */
export interface DispatchController {
  abort(reason: Error): void;
  pause(): void;
  resume(): void;
  readonly aborted: boolean;
  readonly paused: boolean;
  readonly reason: Error | null;
  rawHeaders?: unknown;
  rawTrailers?: unknown;
}

/** A new-style handler (`onRequestStart` … `onResponseError`): undici 7's compose and all of undici 8. */
export interface DispatchHandler {
  onRequestStart?(controller: DispatchController, context: unknown): void;
  onRequestUpgrade?(controller: DispatchController, statusCode: number, headers: IncomingHttpHeaders, socket: unknown): void;
  onResponseStart?(controller: DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void;
  onResponseData?(controller: DispatchController, chunk: Buffer): void;
  onResponseEnd?(controller: DispatchController, trailers: IncomingHttpHeaders): void;
  onResponseError?(controller: DispatchController | null, error: Error): void;
  onResponseStarted?(): void;
  onBodySent?(chunk: unknown): void;
  onRequestSent?(): void;
}

/** A legacy handler (`onConnect` … `onError`): undici 6 and 7's own request APIs and Node 20/24's fetch use it. */
export interface LegacyDispatchHandler {
  onConnect?(abort: (reason?: Error) => void, context?: unknown): void;
  onUpgrade?(statusCode: number, rawHeaders: unknown, socket: unknown): void;
  onHeaders?(statusCode: number, rawHeaders: unknown, resume: () => void, statusMessage?: string): boolean | void;
  onData?(chunk: Buffer): boolean | void;
  onComplete?(rawTrailers: unknown): void;
  onError?(error: Error): void;
  onResponseStarted?(): void;
  onBodySent?(chunk: unknown): void;
  onRequestSent?(): void;
}

export type AnyDispatchHandler = DispatchHandler | LegacyDispatchHandler;

/** What `dispatch(opts, handler)` receives; only the fields we read are named. */
export interface DispatchOptions {
  origin?: string | URL | null;
  path?: string;
  method?: string;
  headers?: unknown;
  body?: unknown;
  upgrade?: string | null;
  [option: string | symbol]: unknown;
}

export type Dispatch = (opts: DispatchOptions, handler: AnyDispatchHandler) => boolean;

export function isNewStyleHandler(handler: AnyDispatchHandler): handler is DispatchHandler {
  return typeof (handler as DispatchHandler).onRequestStart === 'function';
}
