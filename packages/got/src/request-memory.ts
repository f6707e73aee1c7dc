/**
 * What one got request remembers between its hops (redirects, retries): the stamp we set, and core's count of
 * the retries it asked for.
 */
import type { RequestStamp, RetryRecord } from '@mca-oauth/core';

/**
 * The value lives in a private field: got copies `options.context` into every hop's options, and
 * `util.inspect(error)` prints `error.options` with its context, so the token must not be an own property.
 */
export class RequestMemory implements RetryRecord {
  #stamp: RequestStamp | undefined;
  /** Core's count of the retries it asked for (RetryRecord). */
  retriesDone = 0;

  /** Whether `authorization` (the header as it is now) is the value we stamped, not the caller's. */
  isOurs(authorization: unknown): authorization is string {
    return this.#stamp !== undefined && authorization === this.#stamp.authorization;
  }

  /**
   * Whether `headers` still carry anything we stamped: our Authorization, or our DPoP proof alone (got strips
   * Authorization by itself on a cross-origin redirect, but knows nothing of DPoP).
   */
  holdsOurs(headers: Record<string, unknown>): boolean {
    const stamp = this.#stamp;
    return stamp !== undefined && (headers['authorization'] === stamp.authorization || (stamp.dpop !== undefined && headers['dpop'] === stamp.dpop));
  }

  get stamp(): RequestStamp | undefined {
    return this.#stamp;
  }

  remember(stamp: RequestStamp | undefined): void {
    this.#stamp = stamp;
  }
}

interface HasContext {
  readonly context: Record<string, unknown>;
}

/**
 * One slot per `mcaHooks()` call, so two instances extended onto one got (say, two APIs) never mistake each
 * other's header for their own. got gives every request its own shallow copy of `context`, and copies it
 * again into every redirect hop and retry (the memory itself is carried by reference), which is exactly a
 * request's lifetime.
 *
 * The slot is filled only when we stamp: a request we leave alone keeps a `context` without our key, so a
 * user's hook sees the same options as without this package (issue #20). A key on the context, not a
 * WeakMap keyed by the options, because got builds a new options object (and context) for every hop.
 */
export class RequestMemories {
  readonly #slot = Symbol('@mca-oauth/got request memory');

  /** The request's memory, created now: call it only for a request we stamp. */
  of(options: HasContext): RequestMemory {
    const context = options.context as Record<symbol, RequestMemory | undefined>;
    return (context[this.#slot] ??= new RequestMemory());
  }

  existing(options: HasContext | undefined): RequestMemory | undefined {
    if (options === undefined) return undefined;
    return (options.context as Record<symbol, RequestMemory | undefined>)[this.#slot];
  }
}
