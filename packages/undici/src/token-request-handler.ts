/**
 * The handler of a stamped request: waits for the token when it is not cached, dispatches, and on a 401
 * tells core the token was rejected; if the body can be sent again, it also swallows that response and
 * sends the request once more with a new token (a second 401 goes back to the caller). In the style of
 * undici's DecoratorHandler, it forwards every callback it has no reason to change.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Stamper } from '@mca-oauth/core';
import { kStampedAuthorization, warnIfRedirectedInside } from './composition-guards.js';
import type { Dispatch, DispatchController, DispatchHandler, DispatchOptions } from './dispatch-types.js';
import { withAuthorization, type RequestHeaders } from './request-headers.js';
import { StableController } from './stable-controller.js';

/** Everything needed to send the request again with another token. */
export interface StampedRequest {
  readonly stamper: Stamper;
  readonly dispatch: Dispatch;
  readonly url: string;
  /** The caller's options: never mutated, each attempt dispatches a copy. */
  readonly opts: DispatchOptions;
  /** The caller's headers, read once (an iterable may be read only once). */
  readonly headers: RequestHeaders;
  readonly callerAuthorization: string | undefined;
  /** The body can be sent twice and this is not an upgrade: a 401 may be retried. */
  readonly retryable: boolean;
}

/** The options of one attempt: the caller's, with our Authorization. */
export function stampedOptions(request: StampedRequest, authorization: string): DispatchOptions {
  // The marker goes first: on Node 20, adding a key that the spread source lacks after the spread
  // leaves V8's fast object-clone path and costs about 0.7 µs (Node 22+ is fast either way).
  return {
    [kStampedAuthorization]: authorization,
    ...request.opts,
    headers: withAuthorization(request.headers, authorization, request.callerAuthorization !== undefined),
  };
}

export class TokenRequestHandler extends StableController implements DispatchHandler {
  readonly #request: StampedRequest;
  readonly #downstream: DispatchHandler;
  /** What the attempt in flight carries. */
  #authorization = '';
  #retried = false;
  #swallowing401 = false;
  /** The caller got its last callback (end, error or upgrade): later ones are dropped. */
  #settled = false;

  constructor(request: StampedRequest, downstream: DispatchHandler) {
    super();
    this.#request = request;
    this.#downstream = downstream;
  }

  /** Sends the request: at once with a cached token (no promise on that path), else once the token arrives. */
  start(authorization: string | Promise<string>): boolean {
    if (typeof authorization === 'string') return this.#dispatch(authorization);
    // The caller gets a controller before the wait, so that aborting settles the request at once instead
    // of after the token fetch (undici's handlers keep the controller they are given, and abort it).
    this.#downstream.onRequestStart?.(this, {});
    this.#dispatchWhenReady(authorization);
    return true;
  }

  /**
   * Takes over a request whose first attempt went out with a lighter handler (`LegacyStampedHandler`) and
   * got a 401 it swallowed: the caller gets this handler as its controller, then the retry goes out.
   */
  retryRejected(rejectedAuthorization: string): void {
    this.#authorization = rejectedAuthorization;
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
    // RFC 6750 §3.1: 401 invalid_token means this token is no good; one new token is worth one more try.
    if (statusCode === 401 && !this.#retried) {
      if (this.#request.retryable) {
        this.#swallowing401 = true;
        return;
      }
      // The body cannot be sent again, so the 401 goes back; the caller's own retry gets a new token.
      this.#request.stamper.tokenRejected(this.#request.url, this.#authorization);
    }
    this.#downstream.onResponseStart?.(this, statusCode, headers, statusMessage);
  }

  onResponseData(_controller: DispatchController, chunk: Buffer): void {
    if (this.#swallowing401) return;
    this.#downstream.onResponseData?.(this, chunk);
  }

  onResponseEnd(_controller: DispatchController, trailers: IncomingHttpHeaders): void {
    if (this.#swallowing401) {
      this.#swallowing401 = false;
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

  #dispatch(authorization: string): boolean {
    this.#authorization = authorization;
    return this.#request.dispatch(stampedOptions(this.#request, authorization), this);
  }

  #dispatchWhenReady(pending: Promise<string>): void {
    pending.then(
      (authorization) => {
        if (this.#settled) return;
        try {
          this.#dispatch(authorization);
        } catch (error) {
          this.#fail(error as Error);
        }
      },
      (error: unknown) => this.#fail(error as Error),
    );
  }

  #retry(): void {
    const { stamper, url, callerAuthorization } = this.#request;
    this.#retried = true;
    this.detach();
    try {
      stamper.tokenRejected(url, this.#authorization, { retrying: true });
      // The rejected token names the user: undici runs this callback in its socket's async context, not the caller's.
      const authorization = stamper.authorizationFor(url, { callerAuthorization, previousAuthorization: this.#authorization });
      if (authorization === undefined) {
        // Unreachable while the URL still matches; never resend the rejected token.
        this.#request.dispatch({ ...this.#request.opts, headers: this.#request.headers }, this);
      } else if (typeof authorization === 'string') {
        this.#dispatch(authorization);
      } else {
        this.#dispatchWhenReady(authorization);
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
