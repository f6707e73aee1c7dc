/** The record of a stamp: which headers we set for which request, so later steps touch only the headers we set. */
import type { AxiosRequestConfig, InternalAxiosRequestConfig } from 'axios';
import type { RequestStamp, RetryRecord, Stamper } from '@mca-oauth/core';

type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;

/**
 * The key under which our `beforeRedirect` guard carries the record. The guard, not the config, carries
 * it because a 401 retry sends the config through `mergeConfig` again: a function value survives that by
 * identity in every axios 1.x, while symbol keys on the config survive only from axios 1.19 (axios#11043).
 */
export const STAMP = Symbol('@mca-oauth/axios.stamp');

/**
 * The key under which the config of the pass in flight carries its record, for the final-URL guard: that guard
 * is shared by every request, so it finds the request's record on the config axios calls it with (`this`).
 */
export const PASS = Symbol('@mca-oauth/axios.pass');

/**
 * The token lives in core's RequestStamp, in private fields: `util.inspect(config)` shows the record without it.
 * Everything a request's guards need is here, in one object, so that a cache hit allocates no closure
 * over it: the redirect guard holds only this record, and the final-URL guard is shared.
 */
export class Stamp implements RetryRecord {
  readonly #stamp: RequestStamp;
  /** The DPoP proof on the hop in flight (each redirect hop gets its own). */
  #dpop: string | undefined;
  /** The caller's own `beforeRedirect`, which runs after our guard. */
  callersBeforeRedirect: BeforeRedirect | undefined = undefined;
  // The fields axios builds the URL from (getUri), as they were when we stamped: while none changed, the URL
  // is the one we judged.
  #sentUrl: unknown = undefined;
  #sentBaseURL: unknown = undefined;
  #sentParams: unknown = undefined;
  #sentParamsSerializer: unknown = undefined;
  #sentAllowAbsoluteUrls: unknown = undefined;
  #sentSocketPath: unknown = undefined;

  readonly #stamper: Stamper;

  constructor(
    stamper: Stamper,
    stamp: RequestStamp,
    /** The URL the token was chosen for. */
    readonly url: string,
    /** The method as sent (upper case, as axios's adapters send it). */
    readonly method: string,
    /** Core's count of the retries it asked for, carried over from an earlier pass of this config. */
    public retriesDone = 0,
  ) {
    this.#stamper = stamper;
    this.#stamp = stamp;
    this.#dpop = stamp.dpop;
  }

  /** Core's stamper that chose the token, for a redirect hop or a moved URL (kept out of `util.inspect(config)`). */
  get stamper(): Stamper {
    return this.#stamper;
  }

  /** Notes the fields of `config` that make its URL, as they are now. */
  rememberUrlOf(config: InternalAxiosRequestConfig): void {
    this.#sentUrl = config.url;
    this.#sentBaseURL = config.baseURL;
    this.#sentParams = config.params;
    this.#sentParamsSerializer = config.paramsSerializer;
    this.#sentAllowAbsoluteUrls = config.allowAbsoluteUrls;
    this.#sentSocketPath = config.socketPath;
  }

  /** Whether a field that makes the URL of `config` differs from when `rememberUrlOf` noted it. */
  urlFieldsChangedIn(config: InternalAxiosRequestConfig): boolean {
    return (
      config.url !== this.#sentUrl ||
      config.baseURL !== this.#sentBaseURL ||
      config.params !== this.#sentParams ||
      config.paramsSerializer !== this.#sentParamsSerializer ||
      config.allowAbsoluteUrls !== this.#sentAllowAbsoluteUrls ||
      config.socketPath !== this.#sentSocketPath
    );
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

type Carrier = InternalAxiosRequestConfig & { [PASS]?: Stamp };

/** The record of this pass of `config`, set where it was stamped. */
export function passStampOf(config: InternalAxiosRequestConfig): Stamp | undefined {
  return (config as Carrier)[PASS];
}

/** Gives `config` the record of this pass, or (`undefined`) takes an earlier pass's away. */
export function setPassStamp(config: InternalAxiosRequestConfig, stamp: Stamp | undefined): void {
  if (stamp !== undefined) (config as Carrier)[PASS] = stamp;
  else if (PASS in config) delete (config as Carrier)[PASS];
}
