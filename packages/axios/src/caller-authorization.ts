/** The Authorization the caller gave this request, in every way axios lets them give one. */
import type { InternalAxiosRequestConfig } from 'axios';
import { callerAuthorizationOf, callerDpopOf } from '@mca-oauth/core';
import type { Stamp } from './stamp.js';

/**
 * The own key of `headers` (an AxiosHeaders, or a plain object an earlier interceptor put there) that
 * names Authorization in any case, if one does. One pass over the keys, without allocating: this runs
 * for every request.
 */
export function authorizationKeyOf(headers: unknown): string | undefined {
  return headerKeyOf(headers, 'authorization');
}

/** As `authorizationKeyOf`, for any header name given in lower case. */
export function headerKeyOf(headers: unknown, lowerName: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  for (const name in headers) {
    if (name.length === lowerName.length && Object.hasOwn(headers, name) && name.toLowerCase() === lowerName) return name;
  }
  return undefined;
}

function isSuppressed(headers: object): boolean {
  for (const [name, value] of Object.entries(headers)) {
    if (value === false && name.toLowerCase() === 'authorization') return true;
  }
  return false;
}

/**
 * A header in any case, in an AxiosHeaders or a plain object (core's `callerAuthorizationOf`), except
 * the token we set on an earlier pass of this config (`previous`). Two more forms count as the caller
 * speaking, though they carry no value we pass on (`''`): `Authorization: false`, which tells axios
 * never to send that header, and `auth` (HTTP Basic), for which axios deletes any Authorization header.
 * A `DPoP` header of the caller's own (not the proof we set) counts too (RFC 9449 §7.1).
 */
export function callerAuthorizationIn(config: InternalAxiosRequestConfig, previous: Stamp | undefined): string | undefined {
  const headers = config.headers as unknown;
  const key = authorizationKeyOf(headers);
  if (key !== undefined) {
    const value = callerAuthorizationOf(headers);
    if (value !== undefined) return previous?.isOurs(value) ? undefined : value;
    if (isSuppressed(headers as object)) return '';
  }
  if (config.auth) return '';
  if (headerKeyOf(headers, 'dpop') === undefined) return undefined;
  const proof = callerDpopOf(headers);
  return proof === undefined || previous?.isOurProof(proof) ? undefined : proof;
}
