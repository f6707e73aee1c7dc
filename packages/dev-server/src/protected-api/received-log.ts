/** A bounded log of what arrived, per path, so tests can assert which Authorization reached where. */

/** One request as it arrived. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query, as in the request line. */
  readonly url: string;
  /** The `Authorization` header, or undefined when none arrived. */
  readonly authorization: string | undefined;
}

/** Bounded twice (entries per path, and paths), so a benchmark cannot grow it without end. */
export class ReceivedLog {
  readonly #byPath = new Map<string, ReceivedRequest[]>();
  constructor(
    readonly perPath = 100,
    readonly maxPaths = 100,
  ) {}

  /** Appends; the oldest entry of the path (or the oldest path) goes when a bound is reached. */
  record(path: string, entry: ReceivedRequest): void {
    let list = this.#byPath.get(path);
    if (!list) {
      if (this.#byPath.size >= this.maxPaths) this.#byPath.delete(this.#byPath.keys().next().value!);
      this.#byPath.set(path, (list = []));
    }
    if (list.length >= this.perPath) list.shift();
    list.push(entry);
  }

  /** Requests received on `path` (no query string), oldest first. */
  forPath(path: string): ReceivedRequest[] {
    return [...(this.#byPath.get(path) ?? [])];
  }

  /** Just the Authorization headers received on `path`, oldest first (undefined = none sent). */
  authorizations(path: string): (string | undefined)[] {
    return this.forPath(path).map((r) => r.authorization);
  }

  /** Every path with requests, in first-seen order. */
  paths(): string[] {
    return [...this.#byPath.keys()];
  }

  clear(): void {
    this.#byPath.clear();
  }
}
