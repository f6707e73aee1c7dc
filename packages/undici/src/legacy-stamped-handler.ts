/**
 * A stamped request's handler when the caller's handler is a legacy one and undici accepts legacy
 * handlers (undici 7: its own `request()` and Node's fetch). It passes undici's callbacks straight
 * through, watching only the status: converting to the new style and back (LegacyHandlerAdapter in
 * front, undici's UnwrapHandler behind, which parses every response's raw headers) cost about 1 µs a
 * request, most of `McaAgent`'s overhead. A 401 is rare, so its retry is handed to TokenRequestHandler.
 */
import { warnIfRedirectedInside } from './composition-guards.js';
import type { LegacyDispatchHandler } from './dispatch-types.js';
import { LegacyHandlerAdapter } from './legacy-handler.js';
import { stampedOptions, TokenRequestHandler, type StampedRequest } from './token-request-handler.js';

export class LegacyStampedHandler implements LegacyDispatchHandler {
  readonly #request: StampedRequest;
  readonly #downstream: LegacyDispatchHandler;
  readonly #authorization: string;
  /** A retryable 401's body is being read and dropped; the retry goes out when it ends. */
  #swallowing401 = false;

  private constructor(request: StampedRequest, downstream: LegacyDispatchHandler, authorization: string) {
    this.#request = request;
    this.#downstream = downstream;
    this.#authorization = authorization;
  }

  /** Sends the request with a cached token. */
  static dispatch(request: StampedRequest, downstream: LegacyDispatchHandler, authorization: string): boolean {
    const handler = new LegacyStampedHandler(request, downstream, authorization);
    return request.dispatch(stampedOptions(request, authorization), handler);
  }

  onConnect(abort: (reason?: Error) => void, context?: unknown): void {
    warnIfRedirectedInside(context);
    this.#downstream.onConnect?.(abort, context);
  }

  onUpgrade(statusCode: number, rawHeaders: unknown, socket: unknown): void {
    this.#downstream.onUpgrade?.(statusCode, rawHeaders, socket);
  }

  onHeaders(statusCode: number, rawHeaders: unknown, resume: () => void, statusMessage?: string): boolean | void {
    // The same rule as TokenRequestHandler.onResponseStart (RFC 6750 §3.1).
    if (statusCode === 401) {
      if (this.#request.retryable) {
        this.#swallowing401 = true;
        return true;
      }
      this.#request.stamper.tokenRejected(this.#request.url, this.#authorization);
    }
    return this.#downstream.onHeaders?.(statusCode, rawHeaders, resume, statusMessage);
  }

  onData(chunk: Buffer): boolean | void {
    if (this.#swallowing401) return true;
    return this.#downstream.onData?.(chunk);
  }

  onComplete(rawTrailers: unknown): void {
    if (this.#swallowing401) {
      this.#swallowing401 = false;
      new TokenRequestHandler(this.#request, new LegacyHandlerAdapter(this.#downstream)).retryRejected(this.#authorization);
      return;
    }
    this.#downstream.onComplete?.(rawTrailers);
  }

  onError(error: Error): void {
    // As undici's own handlers do: a legacy handler without onError cannot be told.
    if (typeof this.#downstream.onError !== 'function') throw error;
    this.#downstream.onError(error);
  }

  onResponseStarted(): void {
    this.#downstream.onResponseStarted?.();
  }

  onBodySent(chunk: unknown): void {
    this.#downstream.onBodySent?.(chunk);
  }

  onRequestSent(): void {
    this.#downstream.onRequestSent?.();
  }
}
