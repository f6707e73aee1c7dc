/** Finds an Authorization header the caller set, in any shape an HTTP client accepts headers, any case of the name. */

function isAuthorizationName(name: unknown): boolean {
  return typeof name === 'string' && name.length === 13 && name.toLowerCase() === 'authorization';
}

function firstValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return firstValue(value[0]);
  if (value === undefined || value === null || value === false) return undefined;
  return String(value);
}

/**
 * The caller's Authorization value, or `undefined`. Understands `null`, a plain object, a `Headers`-like object
 * with `get()`, an array of `[name, value]` pairs, a flat `[name, value, name, value]` array (undici), and any
 * iterable of pairs. An empty string counts as set: the caller said something.
 */
export function callerAuthorizationOf(headers: unknown): string | undefined {
  if (headers === null || headers === undefined || typeof headers !== 'object') return undefined;
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) {
      for (const pair of headers as unknown[][]) if (isAuthorizationName(pair[0])) return firstValue(pair[1]);
      return undefined;
    }
    for (let index = 0; index + 1 < headers.length; index += 2) {
      if (isAuthorizationName(headers[index])) return firstValue(headers[index + 1]);
    }
    return undefined;
  }
  // A Map's get() is case-sensitive: read its entries. Headers and AxiosHeaders fold case in get().
  if (!(headers instanceof Map) && typeof (headers as { get?: unknown }).get === 'function') {
    const value = (headers as { get(name: string): unknown }).get('authorization');
    return value === null || value === undefined || value === false ? undefined : firstValue(value);
  }
  if (!isPlainObject(headers) && typeof (headers as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function') {
    for (const pair of headers as Iterable<unknown>) {
      if (Array.isArray(pair) && isAuthorizationName(pair[0])) return firstValue(pair[1]);
    }
    return undefined;
  }
  // for…in with an own-property check, not Object.keys(): no array allocated per request (this runs for every one).
  for (const name in headers) {
    if (isAuthorizationName(name) && Object.hasOwn(headers, name)) return firstValue((headers as Record<string, unknown>)[name]);
  }
  return undefined;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
