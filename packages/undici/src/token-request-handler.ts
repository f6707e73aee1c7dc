/**
 * The handler of a stamped request: waits for the token when it is not cached, dispatches, and asks core for
 * its verdict on the response; when core says to send the request once more (a DPoP nonce, or a new token), it
 * swallows that response and sends it again with a new stamp. Core alone decides, and counts the retries. In
 * the style of undici's DecoratorHandler, it forwards every callback it has no reason to change.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestStamp, RetryRecord, Stamper, StampResult } from '@mca-oauth/core';
import { kStampedAuthorization, warnIfRedirectedInside } from './composition-guards.js';
import type { Dispatch, DispatchController, DispatchHandler, DispatchOptions } from './dispatch-types.js';
import { withAuthorization, type RequestHeaders } from './request-headers.js';
import { StableController } from './stable-controller.js';

/** Everything needed to send the request again with another token. */
export interface StampedRequest {
  readonly stamper: Stamper;
  readonly dispatch: Dispatch;
  /** The method as sent (RFC 9449 `htm`). */
  readonly method: string;
  readonly url: string;
  /** The caller's options: never mutated, each attempt dispatches a copy. */
  readonly opts: DispatchOptions;
  /** The caller's headers, read once (an iterable may be read only once). */
  readonly headers: RequestHeaders;
  readonly callerAuthorization: string | undefined;
  /** The body can be sent twice and this is not an upgrade: a 401 may be retried. */
  readonly retryable: boolean;
}

/** The options of one attempt: the caller's, with our Authorization (and DPoP proof). */
export function stampedOptions(request: StampedRequest, stamp: RequestStamp): DispatchOptions {
  const authorization = stamp.authorization;
  // The marker goes first: on Node 20, adding a key that the spread source lacks after the spread
  // leaves V8's fast object-clone path and costs about 0.7 µs (Node 22+ is fast either way).
  return {
    [kStampedAuthorization]: authorization,
    ...request.opts,
    headers: withAuthorization(request.headers, authorization, request.callerAuthorization !== undefined, stamp.dpop),
  };
}

export class TokenRequestHandler extends StableController implements DispatchHandler, RetryRecord {
  readonly #request: StampedRequest;
  readonly #downstream: DispatchHandler;
  /** What the attempt in flight carries. */
  #stamp: RequestStamp | undefined;
  /** Core's count of the retries made for this request. */
  retriesDone = 0;
  /** Core asked for this response to be dropped and the request sent again once it has been read. */
  #swallowing = false;
  /** The caller got its last callback (end, error or upgrade): later ones are dropped. */
  #settled = false;

  constructor(request: StampedRequest, downstream: DispatchHandler) {
    super();
    this.#request = request;
    this.#downstream = downstream;
  }

  /** Sends the request: at once with a cached token (no promise on that path), else once the token arrives. */
  start(stamp: RequestStamp | Promise<RequestStamp>): boolean {
    if (typeof (stamp as Promise<RequestStamp>).then !== 'function') return this.#dispatch(stamp as RequestStamp);
    // The caller gets a controller before the wait, so that aborting settles the request at once instead
    // of after the token fetch (undici's handlers keep the controller they are given, and abort it).
    this.#downstream.onRequestStart?.(this, {});
    this.#dispatchWhenReady(stamp as Promise<RequestStamp>);
    return true;
  }

  /**
   * Takes over a request whose first attempt went out with a lighter handler (`LegacyStampedHandler`) and
   * got a response core said to retry, which it swallowed: the caller gets this handler as its controller, then
   * the retry goes out.
   */
  retryAfter(retriesDone: number): void {
    this.retriesDone = retriesDone;
    this.#downstream.onRequestStart?.(this, {});
    this.#retry();
  }

  onRequestStart(controller: DispatchController, context: unknown): void {
    if (this.#settled) {
      controller.abort(this.reason ?? new Error('aborted'));
      return;
    }
    this.attach(controller);
    warnIfRedirectedInside(context);
    this.#downstream.onRequestStart?.(this, context);
  }

  onRequestUpgrade(_controller: DispatchController, statusCode: number, headers: IncomingHttpHeaders, socket: unknown): void {
    this.#settled = true;
    this.#downstream.onRequestUpgrade?.(this, statusCode, headers, socket);
  }

  onResponseStart(_controller: DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    const { stamper, url, retryable } = this.#request;
    if (stamper.judgeResponse(this.#stamp!, url, statusCode, headers, this, retryable) !== 'deliver') {
      this.#swallowing = true;
      return;
    }
    this.#downstream.onResponseStart?.(this, statusCode, headers, statusMessage);
  }

  onResponseData(_controller: DispatchController, chunk: Buffer): void {
    if (this.#swallowing) return;
    this.#downstream.onResponseData?.(this, chunk);
  }

  onResponseEnd(_controller: DispatchController, trailers: IncomingHttpHeaders): void {
    if (this.#swallowing) {
      this.#swallowing = false;
      this.#retry();
      return;
    }
    this.#settled = true;
    this.#downstream.onResponseEnd?.(this, trailers);
  }

  onResponseError(_controller: DispatchController | null, error: Error): void {
    this.#fail(error);
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

  #dispatch(stamp: RequestStamp): boolean {
    this.#stamp = stamp;
    return this.#request.dispatch(stampedOptions(this.#request, stamp), this);
  }

  #dispatchWhenReady(pending: Promise<RequestStamp>): void {
    pending.then(
      (stamp) => {
        if (this.#settled) return;
        try {
          this.#dispatch(stamp);
        } catch (error) {
          this.#fail(error as Error);
        }
      },
      (error: unknown) => this.#fail(error as Error),
    );
  }

  /** Core said to send again: a new stamp (a new proof with the nonce, or a new token core fetches). */
  #retry(): void {
    const { stamper, method, url, callerAuthorization } = this.#request;
    this.detach();
    try {
      // The last token names the user: undici runs this callback in its socket's async context, not the caller's.
      const stamp: StampResult = stamper.stampFor(method, url, { callerAuthorization, previousAuthorization: this.#stamp?.authorization });
      if (stamp === undefined) {
        // Unreachable while the URL still matches; never resend the rejected token.
        this.#request.dispatch({ ...this.#request.opts, headers: this.#request.headers }, this);
      } else {
        this.start(stamp);
      }
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  protected override onAbortWhileWaiting(reason: Error): void {
    this.#fail(reason);
  }

  #fail(error: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#downstream.onResponseError?.(this, error);
  }
}
