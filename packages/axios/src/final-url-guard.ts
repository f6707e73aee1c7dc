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
import { removeOurAuthorization, replaceOurProof } from './remove-our-authorization.js';
import { requestUrlOf } from './request-url.js';
import { passStampOf } from './stamp.js';

const WRAPPED = Symbol('@mca-oauth/axios.finalUrlGuard');
/** Our guard, and the caller's step it runs before (`null`: it stands alone). */
type Guard = AxiosRequestTransformer & { [WRAPPED]?: AxiosRequestTransformer | null };

type TransformRequest = InternalAxiosRequestConfig['transformRequest'];

function isGuard(step: AxiosRequestTransformer): step is Guard {
  return WRAPPED in step;
}

/**
 * The guard around `first`, shared by every request whose first step that is (usually axios's default): it
 * finds the request's record on the config it is called with, so a stamped request allocates no guard.
 */
function makeGuard(first: AxiosRequestTransformer | null): Guard {
  const guard: Guard = function finalUrlGuard(this: InternalAxiosRequestConfig, data, headers) {
    const stamp = passStampOf(this);
    if (stamp !== undefined && stamp.urlFieldsChangedIn(this)) {
      const finalUrl = requestUrlOf(this);
      if (finalUrl !== stamp.url) {
        const bag = headers as unknown as Record<string, unknown>;
        const moved = finalUrl === undefined ? undefined : stamp.stamper.stampForHop(stamp.requestStamp, stamp.method, finalUrl);
        if (moved === undefined) removeOurAuthorization(bag, stamp);
        else if (moved.dpop !== undefined) replaceOurProof(bag, stamp, moved.dpop);
      }
    }
    return first === null ? data : first.call(this, data, headers);
  };
  guard[WRAPPED] = first;
  return guard;
}

const guardAlone = makeGuard(null);
/** One guard per first step seen; weak, so a step the app drops is not kept alive by us. */
const guards = new WeakMap<AxiosRequestTransformer, Guard>();

function guardFor(first: AxiosRequestTransformer | undefined): Guard {
  if (first === undefined) return guardAlone;
  let guard = guards.get(first);
  if (guard === undefined) guards.set(first, (guard = makeGuard(first)));
  return guard;
}

function stepsOf(transformRequest: TransformRequest): readonly AxiosRequestTransformer[] {
  return transformRequest === undefined || transformRequest === null ? [] : Array.isArray(transformRequest) ? transformRequest : [transformRequest];
}

/** `transformRequest` as an array, with the caller's steps only (a guard of ours unwrapped or dropped). */
export function withoutFinalUrlGuard(transformRequest: TransformRequest): AxiosRequestTransformer[] {
  const callers: AxiosRequestTransformer[] = [];
  for (const step of stepsOf(transformRequest)) {
    const original = isGuard(step) ? step[WRAPPED] : step;
    if (original !== null && original !== undefined) callers.push(original);
  }
  return callers;
}

/**
 * `transformRequest` with our guard around its first step, replacing a guard left by an earlier pass of this
 * config. A new array, never the caller's changed: the array may be shared with requests we do not stamp.
 */
export function withFinalUrlGuard(transformRequest: TransformRequest): AxiosRequestTransformer[] {
  const given = stepsOf(transformRequest);
  const steps = given.some(isGuard) ? withoutFinalUrlGuard(given as AxiosRequestTransformer[]) : given.slice();
  steps[0] = guardFor(steps[0]);
  return steps;
}
