/** The record of a stamp: which headers we set for which request, so later steps touch only the headers we set. */
import type { InternalAxiosRequestConfig } from 'axios';
import type { RequestStamp, RetryRecord } from '@mca-oauth/core';

/**
 * The key under which our `beforeRedirect` guard carries the record. The guard, not the config, carries
 * it because a 401 retry sends the config through `mergeConfig` again: a function value survives that by
 * identity in every axios 1.x, while symbol keys on the config survive only from axios 1.19 (axios#11043).
 */
export const STAMP = Symbol('@mca-oauth/axios.stamp');

/** The token lives in core's RequestStamp, in private fields: `util.inspect(config)` shows the record without it. */
export class Stamp implements RetryRecord {
  readonly #stamp: RequestStamp;
  /** The DPoP proof on the hop in flight (each redirect hop gets its own). */
  #dpop: string | undefined;

  constructor(
    stamp: RequestStamp,
    /** The URL the token was chosen for. */
    readonly url: string,
    /** The method as sent (upper case, as axios's adapters send it). */
    readonly method: string,
    /** Core's count of the retries it asked for, carried over from an earlier pass of this config. */
    public retriesDone = 0,
  ) {
    this.#stamp = stamp;
    this.#dpop = stamp.dpop;
  }

  /** Core's stamp, for its verdicts and redirect hops. */
  get requestStamp(): RequestStamp {
    return this.#stamp;
  }

  isOurs(authorization: unknown): boolean {
    return authorization === this.#stamp.authorization;
  }

  /** Whether `proof` is the DPoP proof we set last. */
  isOurProof(proof: unknown): boolean {
    return this.#dpop !== undefined && proof === this.#dpop;
  }

  /** A redirect hop got a proof of its own. */
  rememberProof(proof: string | undefined): void {
    this.#dpop = proof;
  }
}

/** The record of the last time we stamped this config (or the config it was merged from), if we did. */
export function stampOf(config: InternalAxiosRequestConfig): Stamp | undefined {
  const hook = config.beforeRedirect as { [STAMP]?: Stamp } | undefined;
  return typeof hook === 'function' ? hook[STAMP] : undefined;
}
