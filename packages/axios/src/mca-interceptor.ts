/** `mcaInterceptor(options)`: the request interceptor, `axios.interceptors.request.use(mcaInterceptor())`. */
import type { InternalAxiosRequestConfig } from 'axios';
import { createStamper, type McaOptions, type Stamper } from '@mca-oauth/core';
import { stampRequest } from './stamp-request.js';

/** An axios request interceptor (`onFulfilled`) that also carries the stamper it uses. */
export interface McaInterceptor {
  (config: InternalAxiosRequestConfig): InternalAxiosRequestConfig;
  /** Core's stamper behind this interceptor; `mcaRetryOn401` reports rejected tokens to it. */
  readonly stamper: Stamper;
}

/**
 * Validates `options` once (core's `McaOptions`; with none, the environment) and throws an McaError,
 * e.g. `MCA_NO_MATCH_CONFIGURED` when nothing says which URLs get a token. It never returns a promise
 * (while a token is fetched, the request waits in its adapter step), so register it with
 * `{ synchronous: true }`: axios then skips its promise chain for every request, if all its request
 * interceptors are synchronous. Registered without it, it works the same, a little slower.
 */
export function mcaInterceptor(options?: McaOptions): McaInterceptor {
  const stamper = createStamper(options);
  const interceptor = (config: InternalAxiosRequestConfig) => stampRequest(stamper, config);
  return Object.defineProperty(interceptor, 'stamper', { value: stamper, enumerable: true }) as McaInterceptor;
}
