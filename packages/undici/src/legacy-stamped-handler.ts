/**
 * A stamped request's handler when the caller's handler is a legacy one and undici accepts legacy
 * handlers (undici 7: its own `request()` and Node's fetch). It passes undici's callbacks straight
 * through, watching only the status: converting to the new style and back (LegacyHandlerAdapter in
 * front, undici's UnwrapHandler behind, which parses every response's raw headers) cost about 1 µs a
 * request, most of `McaAgent`'s overhead. A retry (core's verdict on a 401) is rare, so it is handed to
 * TokenRequestHandler.
 */
import type { RequestStamp, RetryRecord } from '@mca-oauth/core';
import { warnIfRedirectedInside } from './composition-guards.js';
import type { LegacyDispatchHandler } from './dispatch-types.js';
import { LegacyHandlerAdapter } from './legacy-handler.js';
import { stampedOptions, TokenRequestHandler, type StampedRequest } from './token-request-handler.js';

export class LegacyStampedHandler implements LegacyDispatchHandler, RetryRecord {
  readonly #request: StampedRequest;
  readonly #downstream: LegacyDispatchHandler;
  readonly #stamp: RequestStamp;
  /** Core's count of the retries made for this request. */
  retriesDone = 0;
  /** A response core said to retry is being read and dropped; the retry goes out when it ends. */
  #swallowing = false;

  private constructor(request: StampedRequest, downstream: LegacyDispatchHandler, stamp: RequestStamp) {
    this.#request = request;
    this.#downstream = downstream;
    this.#stamp = stamp;
  }

  /** Sends the request with a cached token. */
  static dispatch(request: StampedRequest, downstream: LegacyDispatchHandler, stamp: RequestStamp): boolean {
    const handler = new LegacyStampedHandler(request, downstream, stamp);
    return request.dispatch(stampedOptions(request, stamp), handler);
  }

  onConnect(abort: (reason?: Error) => void, context?: unknown): void {
    warnIfRedirectedInside(context);
    this.#downstream.onConnect?.(abort, context);
  }

  onUpgrade(statusCode: number, rawHeaders: unknown, socket: unknown): void {
    this.#downstream.onUpgrade?.(statusCode, rawHeaders, socket);
  }

  onHeaders(statusCode: number, rawHeaders: unknown, resume: () => void, statusMessage?: string): boolean | void {
    const { stamper, url, retryable } = this.#request;
    if (stamper.judgeResponse(this.#stamp, url, statusCode, rawHeaders, this, retryable) !== 'deliver') {
      this.#swallowing = true;
      return true;
    }
    return this.#downstream.onHeaders?.(statusCode, rawHeaders, resume, statusMessage);
  }

  onData(chunk: Buffer): boolean | void {
    if (this.#swallowing) return true;
    return this.#downstream.onData?.(chunk);
  }

  onComplete(rawTrailers: unknown): void {
    if (this.#swallowing) {
      this.#swallowing = false;
      new TokenRequestHandler(this.#request, new LegacyHandlerAdapter(this.#downstream)).retryAfter(this.retriesDone);
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
