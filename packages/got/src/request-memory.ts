/**
 * What one got request remembers between its hops (redirects, retries): the Authorization value we stamped,
 * and whether it was already retried after a 401.
 */

/**
 * The value lives in a private field: got copies `options.context` into every hop's options, and
 * `util.inspect(error)` prints `error.options` with its context, so the token must not be an own property.
 */
export class RequestMemory {
  #stamped: string | undefined;
  #retried = false;

  /** Whether `authorization` (the header as it is now) is the value we stamped, not the caller's. */
  isOurs(authorization: unknown): authorization is string {
    return this.#stamped !== undefined && authorization === this.#stamped;
  }

  get stamped(): string | undefined {
    return this.#stamped;
  }

  remember(authorization: string | undefined): void {
    this.#stamped = authorization;
  }

  get retried(): boolean {
    return this.#retried;
  }

  markRetried(): void {
    this.#retried = true;
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
