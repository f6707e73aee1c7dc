/** Finds a header (the caller's Authorization, a response's DPoP-Nonce) in any shape an HTTP client keeps headers, any case of the name. */

/** `lowerName` in any case; undici's raw header lists name headers with Buffers. */
function isName(name: unknown, lowerName: string): boolean {
  if (typeof name === 'string') return name.length === lowerName.length && name.toLowerCase() === lowerName;
  return Buffer.isBuffer(name) && name.length === lowerName.length && name.toString('latin1').toLowerCase() === lowerName;
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
  return headerValueOf(headers, 'authorization');
}

/** The caller's own `DPoP` header (RFC 9449 §4.1), or `undefined`: a caller who sets one is speaking for itself. */
export function callerDpopOf(headers: unknown): string | undefined {
  return headerValueOf(headers, 'dpop');
}

/** The first value of the header `lowerName` (lower case) in `headers`, in any of the shapes above, or `undefined`. */
export function headerValueOf(headers: unknown, lowerName: string): string | undefined {
  if (headers === null || headers === undefined || typeof headers !== 'object') return undefined;
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) {
      for (const pair of headers as unknown[][]) if (isName(pair[0], lowerName)) return firstValue(pair[1]);
      return undefined;
    }
    for (let index = 0; index + 1 < headers.length; index += 2) {
      if (isName(headers[index], lowerName)) return firstValue(headers[index + 1]);
    }
    return undefined;
  }
  // A Map's get() is case-sensitive: read its entries. Headers and AxiosHeaders fold case in get().
  if (!(headers instanceof Map) && typeof (headers as { get?: unknown }).get === 'function') {
    const value = (headers as { get(name: string): unknown }).get(lowerName);
    return value === null || value === undefined || value === false ? undefined : firstValue(value);
  }
  if (!isPlainObject(headers) && typeof (headers as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function') {
    for (const pair of headers as Iterable<unknown>) {
      if (Array.isArray(pair) && isName(pair[0], lowerName)) return firstValue(pair[1]);
    }
    return undefined;
  }
  for (const name of Object.keys(headers)) {
    if (isName(name, lowerName)) return firstValue((headers as Record<string, unknown>)[name]);
  }
  return undefined;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
