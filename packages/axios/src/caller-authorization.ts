/** The Authorization the caller gave this request, in every way axios lets them give one. */
import type { InternalAxiosRequestConfig } from 'axios';
import { callerAuthorizationOf, callerDpopOf } from '@mca-oauth/core';
import type { Stamp } from './stamp.js';

/** The own keys of a headers object that name Authorization and DPoP, in whatever case. */
export interface HeaderKeys {
  authorization: string | undefined;
  dpop: string | undefined;
}

/**
 * The own keys of `headers` (an AxiosHeaders, or a plain object an earlier interceptor put there) that name
 * Authorization and DPoP, if any do: one pass over the keys for both, as this runs for every request.
 */
export function headerKeysOf(headers: unknown): HeaderKeys {
  const keys: HeaderKeys = { authorization: undefined, dpop: undefined };
  if (headers === null || typeof headers !== 'object') return keys;
  for (const name in headers) {
    if (name.length === 13) {
      if (keys.authorization === undefined && Object.hasOwn(headers, name) && name.toLowerCase() === 'authorization') keys.authorization = name;
    } else if (name.length === 4) {
      if (keys.dpop === undefined && Object.hasOwn(headers, name) && name.toLowerCase() === 'dpop') keys.dpop = name;
    }
  }
  return keys;
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
 * A `DPoP` header of the caller's own (not the proof we set) counts too (RFC 9449 §7.1). `keys`: what
 * `headerKeysOf` found in `config.headers`.
 */
export function callerAuthorizationIn(config: InternalAxiosRequestConfig, previous: Stamp | undefined, keys: HeaderKeys): string | undefined {
  const headers = config.headers as unknown;
  if (keys.authorization !== undefined) {
    const value = callerAuthorizationOf(headers);
    if (value !== undefined) return previous?.isOurs(value) ? undefined : value;
    if (isSuppressed(headers as object)) return '';
  }
  if (config.auth) return '';
  if (keys.dpop === undefined) return undefined;
  const proof = callerDpopOf(headers);
  return proof === undefined || previous?.isOurProof(proof) ? undefined : proof;
}
