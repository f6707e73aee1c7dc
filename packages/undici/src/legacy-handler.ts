/**
 * A new-style face on a legacy handler, as undici 7's WrapHandler and undici 8's Dispatcher1Wrapper build
 * one. Needed where undici does not convert for us: `McaAgent.dispatch` under undici 7, whose own
 * `request()` and Node 20/24's fetch still pass `onConnect`/`onHeaders`/… handlers.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { DispatchController, DispatchHandler, LegacyDispatchHandler } from './dispatch-types.js';

function rawHeaders(fromController: unknown, parsed: IncomingHttpHeaders): unknown[] {
  if (Array.isArray(fromController)) return fromController;
  const raw: unknown[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (value === undefined) continue;
    raw.push(Buffer.from(name, 'latin1'), Array.isArray(value) ? value.map((item) => Buffer.from(item, 'latin1')) : Buffer.from(value, 'latin1'));
  }
  return raw;
}

export class LegacyHandlerAdapter implements DispatchHandler {
  readonly #legacy: LegacyDispatchHandler;

  constructor(legacy: LegacyDispatchHandler) {
    this.#legacy = legacy;
  }

  onRequestStart(controller: DispatchController, context: unknown): void {
    this.#legacy.onConnect?.((reason) => controller.abort(reason as Error), context);
  }

  onRequestUpgrade(controller: DispatchController, statusCode: number, headers: IncomingHttpHeaders, socket: unknown): void {
    this.#legacy.onUpgrade?.(statusCode, rawHeaders(controller.rawHeaders, headers), socket);
  }

  onResponseStart(controller: DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    if (this.#legacy.onHeaders?.(statusCode, rawHeaders(controller.rawHeaders, headers), () => controller.resume(), statusMessage) === false) {
      controller.pause();
    }
  }

  onResponseData(controller: DispatchController, chunk: Buffer): void {
    if (this.#legacy.onData?.(chunk) === false) controller.pause();
  }

  onResponseEnd(controller: DispatchController, trailers: IncomingHttpHeaders): void {
    this.#legacy.onComplete?.(rawHeaders(controller.rawTrailers, trailers));
  }

  onResponseError(_controller: DispatchController | null, error: Error): void {
    // A legacy handler without onError cannot be told; undici's own WrapHandler throws too.
    if (typeof this.#legacy.onError !== 'function') throw error;
    this.#legacy.onError(error);
  }

  onResponseStarted(): void {
    this.#legacy.onResponseStarted?.();
  }

  onBodySent(chunk: unknown): void {
    this.#legacy.onBodySent?.(chunk);
  }

  onRequestSent(): void {
    this.#legacy.onRequestSent?.();
  }
}
