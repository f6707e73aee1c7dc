/** The record of a stamp: which token we set for which URL, so later steps touch only the header we set. */
import type { InternalAxiosRequestConfig } from 'axios';
import type { Stamper } from '@mca-oauth/core';

/**
 * The key under which our `beforeRedirect` guard carries the record. The guard, not the config, carries
 * it because a 401 retry sends the config through `mergeConfig` again: a function value survives that by
 * identity in every axios 1.x, while symbol keys on the config survive only from axios 1.19 (axios#11043).
 */
export const STAMP = Symbol('@mca-oauth/axios.stamp');

/** The token lives in a private field: `util.inspect(config)` shows the record without it. */
export class Stamp {
  readonly #authorization: string;
  #retried: boolean;

  constructor(
    authorization: string,
    /** The URL the token was chosen for. */
    readonly url: string,
    retried = false,
  ) {
    this.#authorization = authorization;
    this.#retried = retried;
  }

  /** True once the request was sent again after a 401: a second 401 goes back to the caller. */
  get retried(): boolean {
    return this.#retried;
  }

  markRetried(): void {
    this.#retried = true;
  }

  isOurs(authorization: unknown): boolean {
    return authorization === this.#authorization;
  }

  /** Tells core the API refused this token, so the retry (and everyone else) gets a new one. */
  rejectToken(stamper: Stamper, retrying: boolean): void {
    stamper.tokenRejected(this.url, this.#authorization, { retrying });
  }
}

/** The record of the last time we stamped this config (or the config it was merged from), if we did. */
export function stampOf(config: InternalAxiosRequestConfig): Stamp | undefined {
  const hook = config.beforeRedirect as { [STAMP]?: Stamp } | undefined;
  return typeof hook === 'function' ? hook[STAMP] : undefined;
}
