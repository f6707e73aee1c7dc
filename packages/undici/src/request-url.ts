/** Where undici will send a request: `opts.origin` + `opts.path`, which the matcher must see. */
import type { DispatchOptions } from './dispatch-types.js';

/**
 * `opts.origin` as a string without a trailing slash, to be judged with `opts.path`; `undefined` when
 * the URL cannot be known: no origin (a `Client`/`Pool` composed under undici 7 does not put one in
 * `opts`), or a path that is not origin-form. Such a request is never stamped.
 */
export function requestOriginOf(opts: DispatchOptions): string | undefined {
  const { origin, path } = opts;
  if (typeof path !== 'string' || path.charCodeAt(0) !== 0x2f /* / */) return undefined;
  if (typeof origin === 'string') return origin.charCodeAt(origin.length - 1) === 0x2f ? origin.slice(0, -1) : origin;
  if (origin instanceof URL) return origin.origin;
  return undefined;
}
