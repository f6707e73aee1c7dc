/** Whether a request body can be sent a second time, which a 401 retry needs. */

/**
 * True for no body, strings, buffers, typed arrays, `URLSearchParams`, `FormData`, `Blob` and plain JSON-able
 * objects; false for anything read once: Node streams, web `ReadableStream`s, async iterables and generators.
 */
export function isReplayableBody(body: unknown): boolean {
  if (body === undefined || body === null) return true;
  if (typeof body !== 'object' && typeof body !== 'function') return true;
  if (typeof (body as { pipe?: unknown }).pipe === 'function') return false;
  if (typeof (body as { getReader?: unknown }).getReader === 'function') return false;
  if (Symbol.asyncIterator in body) return false;
  // Iterables that are not arrays or typed arrays (generators, Sets of chunks) are read once too.
  if (Symbol.iterator in body && !Array.isArray(body) && !ArrayBuffer.isView(body) && typeof body !== 'string') {
    return body instanceof URLSearchParams || (typeof FormData !== 'undefined' && body instanceof FormData);
  }
  return true;
}
