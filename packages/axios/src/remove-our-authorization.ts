/** Deletes the Authorization and DPoP headers only when they are the ones we set, in whatever case they are spelled. */
import type { Stamp } from './stamp.js';

interface HeaderBag {
  [name: string]: unknown;
}

/** `headers` is a plain object (follow-redirects' options) or an AxiosHeaders (transformRequest). */
export function removeOurAuthorization(headers: HeaderBag | undefined, stamp: Stamp): void {
  if (headers === undefined || headers === null) return;
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if ((lower === 'authorization' && stamp.isOurs(headers[name])) || (lower === 'dpop' && stamp.isOurProof(headers[name]))) delete headers[name];
  }
}

/** Replaces our DPoP proof in `headers` with `proof`, for a redirect hop or a URL changed after we stamped. */
export function replaceOurProof(headers: HeaderBag | undefined, stamp: Stamp, proof: string): void {
  if (headers === undefined || headers === null) return;
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'dpop' && stamp.isOurProof(headers[name])) headers[name] = proof;
  }
  stamp.rememberProof(proof);
}
