/** The Authorization the caller gave this request, in every way axios lets them give one. */
import type { InternalAxiosRequestConfig } from 'axios';
import { callerAuthorizationOf } from '@mca-oauth/core';
import type { Stamp } from './stamp.js';

function isSuppressed(headers: unknown): boolean {
  if (headers === null || typeof headers !== 'object') return false;
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
 */
export function callerAuthorizationIn(config: InternalAxiosRequestConfig, previous: Stamp | undefined): string | undefined {
  const value = callerAuthorizationOf(config.headers);
  if (value !== undefined) return previous?.isOurs(value) ? undefined : value;
  if (isSuppressed(config.headers) || config.auth) return '';
  return undefined;
}
