/**
 * A `transformRequest` step that takes our token off when the URL changed after we stamped it.
 * axios runs request interceptors last-registered-first, so one registered before ours runs after it
 * and may rewrite `url`, `baseURL` or `params`; `transformRequest` runs after every interceptor.
 */
import type { AxiosRequestTransformer, InternalAxiosRequestConfig } from 'axios';
import type { Stamper } from '@mca-oauth/core';
import { removeOurAuthorization } from './remove-our-authorization.js';
import { requestUrlOf } from './request-url.js';
import type { Stamp } from './stamp.js';

const GUARD = Symbol('@mca-oauth/axios.finalUrlGuard');
type Guard = AxiosRequestTransformer & { [GUARD]?: true };

type TransformRequest = InternalAxiosRequestConfig['transformRequest'];

/** `transformRequest` as an array, without a guard of ours. */
export function withoutFinalUrlGuard(transformRequest: TransformRequest): AxiosRequestTransformer[] {
  const steps = transformRequest === undefined ? [] : Array.isArray(transformRequest) ? transformRequest : [transformRequest];
  return steps.filter((step) => !(GUARD in step));
}

/** `transformRequest` with our guard first, replacing a guard left by an earlier pass of this config. */
export function withFinalUrlGuard(stamper: Stamper, stamp: Stamp, config: InternalAxiosRequestConfig): AxiosRequestTransformer[] {
  const transformRequest = config.transformRequest;
  const inputs = urlInputsOf(config);
  const guard: Guard = function finalUrlGuard(this: InternalAxiosRequestConfig, data, headers) {
    // Nothing that makes the URL changed since we stamped: the URL is the one we judged.
    if (sameUrlInputs(urlInputsOf(this), inputs)) return data;
    const url = requestUrlOf(this);
    if (url !== stamp.url && (url === undefined || !stamper.matches(url))) {
      removeOurAuthorization(headers as unknown as Record<string, unknown>, stamp);
    }
    return data;
  };
  guard[GUARD] = true;
  return [guard, ...withoutFinalUrlGuard(transformRequest)];
}

/** The config fields axios builds the URL from (getUri). */
function urlInputsOf(config: InternalAxiosRequestConfig): readonly unknown[] {
  return [config.url, config.baseURL, config.params, config.paramsSerializer, config.allowAbsoluteUrls, config.socketPath];
}

function sameUrlInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.every((value, index) => value === b[index]);
}
