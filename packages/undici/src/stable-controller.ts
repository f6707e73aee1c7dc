/**
 * The one controller the caller's handler sees for the whole request, across the wait for a token and
 * the 401 retry (each a separate dispatch with its own controller). undici's RetryHandler does the same
 * for the same reason: a handler that keeps the first controller would pause, resume or abort a dead
 * attempt (https://github.com/nodejs/undici/blob/main/lib/handler/retry-handler.js).
 *
 * A base class rather than a field: the handler is its own controller, so a request costs one object
 * instead of two and a closure.
 */
import { McaError, McaErrorCodes } from '@mca-oauth/core';
import type { DispatchController } from './dispatch-types.js';

export abstract class StableController implements DispatchController {
  #attempt: DispatchController | null = null;
  #paused = false;
  #abortedWhileWaiting: Error | null = null;

  /** The caller aborted while no attempt was in flight (a token was being fetched). */
  protected abstract onAbortWhileWaiting(reason: Error): void;

  /** Points at the attempt undici just started. */
  attach(attempt: DispatchController): void {
    this.#attempt = attempt;
    if (this.#paused) attempt.pause();
  }

  /** The attempt is over (its 401 was swallowed): until the next one, an abort cancels the wait. */
  detach(): void {
    this.#attempt = null;
  }

  pause(): void {
    this.#paused = true;
    this.#attempt?.pause();
  }

  resume(): void {
    this.#paused = false;
    this.#attempt?.resume();
  }

  abort(reason?: Error): void {
    if (this.#attempt !== null) {
      this.#attempt.abort(reason as Error);
      return;
    }
    if (this.#abortedWhileWaiting !== null) return;
    // undici's own handlers pass the signal's reason as is (an AbortError DOMException, or what the caller gave).
    this.#abortedWhileWaiting =
      reason ?? new McaError(McaErrorCodes.ABORTED, 'The request was aborted while its token was being fetched.');
    this.onAbortWhileWaiting(this.#abortedWhileWaiting);
  }

  get aborted(): boolean {
    return this.#abortedWhileWaiting !== null || (this.#attempt?.aborted ?? false);
  }

  get reason(): Error | null {
    return this.#abortedWhileWaiting ?? this.#attempt?.reason ?? null;
  }

  get paused(): boolean {
    return this.#paused || (this.#attempt?.paused ?? false);
  }

  // Read by handlers that want the raw header list (undici's responseHeaders: 'raw', Dispatcher1Wrapper).
  get rawHeaders(): unknown {
    return this.#attempt?.rawHeaders ?? null;
  }

  get rawTrailers(): unknown {
    return this.#attempt?.rawTrailers ?? null;
  }
}
