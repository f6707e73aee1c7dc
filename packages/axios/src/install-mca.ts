/** `installMca(instance, options)`: both interceptors in one line. */
import type { AxiosInstance } from 'axios';
import { McaError, McaErrorCodes, type McaOptions } from '@mca-oauth/core';
import { checkRequester } from './argument-checks.js';
import { mcaInterceptor, type McaInterceptor } from './mca-interceptor.js';
import { mcaOnSuccess, mcaRetryOn401 } from './retry-on-401.js';

export interface McaInstallation {
  readonly interceptor: McaInterceptor;
  /** Removes both interceptors from the instance. */
  eject(): void;
}

/**
 * Registers the stamping request interceptor and the 401-retry response interceptor on `instance`.
 * Call it before adding your own interceptors: axios runs request interceptors last-registered-first,
 * so ours then runs last and sees the final URL, and response interceptors in order, so ours sees a 401 first.
 */
export function installMca(instance: Pick<AxiosInstance, 'interceptors' | 'request'>, options?: McaOptions): McaInstallation {
  checkRequester(instance, 'installMca(instance, options)');
  if (typeof instance.interceptors?.request?.use !== 'function' || typeof instance.interceptors?.response?.use !== 'function') {
    throw new McaError(McaErrorCodes.INVALID_OPTION, 'installMca(instance, options) takes an axios instance (or axios itself) with interceptors as its first argument.');
  }
  const interceptor = mcaInterceptor(options);
  const requestId = instance.interceptors.request.use(interceptor, undefined, { synchronous: true });
  const responseId = instance.interceptors.response.use(mcaOnSuccess(interceptor), mcaRetryOn401(instance, interceptor));
  return {
    interceptor,
    eject() {
      instance.interceptors.request.eject(requestId);
      instance.interceptors.response.eject(responseId);
    },
  };
}
