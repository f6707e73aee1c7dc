/**
 * A `transformRequest` step that takes our token off when the URL changed after we stamped it (or gives a DPoP
 * proof for the new URL when it is still in the match).
 * axios runs request interceptors last-registered-first, so one registered before ours runs after it
 * and may rewrite `url`, `baseURL` or `params`; `transformRequest` runs after every interceptor.
 *
 * The guard wraps the first step instead of adding one: axios's transformData normalizes the headers
 * before every step, which runs its sanitizing regular expression over every value again, about
 * 0.7 µs for a JWT, more than everything else we do for a request.
 */
import type { AxiosRequestTransformer, InternalAxiosRequestConfig } from 'axios';
import type { Stamper } from '@mca-oauth/core';
import { removeOurAuthorization, replaceOurProof } from './remove-our-authorization.js';
import { requestUrlOf } from './request-url.js';
import type { Stamp } from './stamp.js';

const WRAPPED = Symbol('@mca-oauth/axios.finalUrlGuard');
/** Our guard, and the caller's step it runs before (`null`: it stands alone). */
type Guard = AxiosRequestTransformer & { [WRAPPED]?: AxiosRequestTransformer | null };

type TransformRequest = InternalAxiosRequestConfig['transformRequest'];

function isGuard(step: AxiosRequestTransformer): step is Guard {
  return WRAPPED in step;
}

/** `transformRequest` as an array, with the caller's steps only (a guard of ours unwrapped or dropped). */
export function withoutFinalUrlGuard(transformRequest: TransformRequest): AxiosRequestTransformer[] {
  const steps = transformRequest === undefined ? [] : Array.isArray(transformRequest) ? transformRequest : [transformRequest];
  const callers: AxiosRequestTransformer[] = [];
  for (const step of steps) {
    const original = isGuard(step) ? step[WRAPPED] : step;
    if (original !== null && original !== undefined) callers.push(original);
  }
  return callers;
}

/** `transformRequest` with our guard around its first step, replacing a guard left by an earlier pass of this config. */
export function withFinalUrlGuard(stamper: Stamper, stamp: Stamp, config: InternalAxiosRequestConfig): AxiosRequestTransformer[] {
  const steps = withoutFinalUrlGuard(config.transformRequest);
  // The fields axios builds the URL from (getUri): while none changed, the URL is the one we judged.
  const { url, baseURL, params, paramsSerializer, allowAbsoluteUrls, socketPath } = config;
  const first = steps.length > 0 ? steps[0]! : null;
  const guard: Guard = function finalUrlGuard(this: InternalAxiosRequestConfig, data, headers) {
    const changed =
      this.url !== url ||
      this.baseURL !== baseURL ||
      this.params !== params ||
      this.paramsSerializer !== paramsSerializer ||
      this.allowAbsoluteUrls !== allowAbsoluteUrls ||
      this.socketPath !== socketPath;
    if (changed) {
      const finalUrl = requestUrlOf(this);
      if (finalUrl !== stamp.url) {
        const bag = headers as unknown as Record<string, unknown>;
        const moved = finalUrl === undefined ? undefined : stamper.stampForHop(stamp.requestStamp, stamp.method, finalUrl);
        if (moved === undefined) removeOurAuthorization(bag, stamp);
        else if (moved.dpop !== undefined) replaceOurProof(bag, stamp, moved.dpop);
      }
    }
    return first === null ? data : first.call(this, data, headers);
  };
  guard[WRAPPED] = first;
  steps[0] = guard;
  return steps;
}
