/** The absolute URL undici will request, as `opts.origin` + `opts.path` (what the matcher must see). */
import type { DispatchOptions } from './dispatch-types.js';

/**
 * `undefined` when the URL cannot be known: no origin (a `Client`/`Pool` composed under undici 7 does not
 * put one in `opts`), or a path that is not origin-form. Such a request is never stamped.
 */
export function requestUrlOf(opts: DispatchOptions): string | undefined {
  const { origin, path } = opts;
  if (typeof path !== 'string' || path.charCodeAt(0) !== 0x2f /* / */) return undefined;
  if (typeof origin === 'string') {
    return origin.charCodeAt(origin.length - 1) === 0x2f ? origin.slice(0, -1) + path : origin + path;
  }
  if (origin instanceof URL) return origin.origin + path;
  return undefined;
}
