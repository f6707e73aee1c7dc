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

/** Every value of a header that may repeat, joined as RFC 9110 §5.3 allows (`WWW-Authenticate` may be sent twice). */
function allValues(value: unknown): string | undefined {
  if (!Array.isArray(value)) return firstValue(value);
  const values = value.map(firstValue).filter((item) => item !== undefined);
  return values.length === 0 ? undefined : values.join(', ');
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

/**
 * `callerAuthorizationOf(headers) ?? callerDpopOf(headers)`: whether the caller speaks for itself, with its own
 * Authorization or, failing that, its own DPoP proof (RFC 9449 §7.1). A plain object (got's, undici's usual) and a
 * flat array are read in one pass for both names, not two: this runs for every request of an adapter.
 */
export function callerCredentialOf(headers: unknown): string | undefined {
  if (headers === null || headers === undefined || typeof headers !== 'object') return undefined;
  if (Array.isArray(headers)) return headers.length > 0 && Array.isArray(headers[0]) ? callerAuthorizationOf(headers) ?? callerDpopOf(headers) : credentialInFlatList(headers);
  if (!isPlainObject(headers)) return callerAuthorizationOf(headers) ?? callerDpopOf(headers);
  let authorizationSeen = false;
  let dpop: string | undefined;
  let dpopSeen = false;
  for (const name in headers) {
    if (!authorizationSeen && isName(name, 'authorization') && Object.hasOwn(headers, name)) {
      const value = firstValue((headers as Record<string, unknown>)[name]);
      if (value !== undefined) return value;
      authorizationSeen = true;
    } else if (!dpopSeen && isName(name, 'dpop') && Object.hasOwn(headers, name)) {
      dpop = firstValue((headers as Record<string, unknown>)[name]);
      dpopSeen = true;
    }
  }
  return dpop;
}

/** `callerCredentialOf` for undici's flat `[name, value, name, value]` list. */
function credentialInFlatList(headers: readonly unknown[]): string | undefined {
  let authorizationSeen = false;
  let dpop: string | undefined;
  let dpopSeen = false;
  for (let index = 0; index + 1 < headers.length; index += 2) {
    const name = headers[index];
    if (!authorizationSeen && isName(name, 'authorization')) {
      const value = firstValue(headers[index + 1]);
      if (value !== undefined) return value;
      authorizationSeen = true;
    } else if (!dpopSeen && isName(name, 'dpop')) {
      dpop = firstValue(headers[index + 1]);
      dpopSeen = true;
    }
  }
  return dpop;
}

/**
 * The first value of the header `lowerName` (lower case) in `headers`, in any of the shapes above, or `undefined`;
 * with `all`, every value of it, joined with `, `.
 */
export function headerValueOf(headers: unknown, lowerName: string, all = false): string | undefined {
  if (all) return allValues(headerValuesOf(headers, lowerName));
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
  // for…in with an own-property check, not Object.keys(): no array allocated per request (this runs for every one).
  for (const name in headers) {
    if (isName(name, lowerName) && Object.hasOwn(headers, name)) return firstValue((headers as Record<string, unknown>)[name]);
  }
  return undefined;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Every value of the header `lowerName` in `headers`, as the shape holds them (a list when it repeats). */
function headerValuesOf(headers: unknown, lowerName: string): unknown {
  if (headers === null || headers === undefined || typeof headers !== 'object') return undefined;
  const found: unknown[] = [];
  if (Array.isArray(headers) && !(headers.length > 0 && Array.isArray(headers[0]))) {
    for (let index = 0; index + 1 < headers.length; index += 2) if (isName(headers[index], lowerName)) found.push(headers[index + 1]);
    return found;
  }
  // Headers joins repeated values itself; AxiosHeaders keeps what it was given.
  if (!(headers instanceof Map) && typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(name: string): unknown }).get(lowerName);
  if (!isPlainObject(headers) && typeof (headers as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function') {
    for (const pair of headers as Iterable<unknown>) if (Array.isArray(pair) && isName(pair[0], lowerName)) found.push(pair[1]);
    return found;
  }
  // Node's IncomingHttpHeaders has a prototype of its own, without an iterator: read as an object.
  for (const name in headers) if (isName(name, lowerName) && Object.hasOwn(headers, name)) return (headers as Record<string, unknown>)[name];
  return undefined;
}
