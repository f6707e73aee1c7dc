/** Deletes the Authorization header only when it is the one we set, in whatever case it is spelled. */
import type { Stamp } from './stamp.js';

interface HeaderBag {
  [name: string]: unknown;
}

/** `headers` is a plain object (follow-redirects' options) or an AxiosHeaders (transformRequest). */
export function removeOurAuthorization(headers: HeaderBag | undefined, stamp: Stamp): void {
  if (headers === undefined || headers === null) return;
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'authorization' && stamp.isOurs(headers[name])) delete headers[name];
  }
}
