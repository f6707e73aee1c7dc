/** Options are read from their own properties only, never through a (possibly polluted) prototype chain. */

/**
 * A copy of `options`' own enumerable properties on a null prototype. Without it a polluted
 * `Object.prototype.routes` or `.overwriteAuthorization` would be read as if the caller had set it.
 */
export function ownOptions<T extends object>(options: T | undefined): T {
  const copy = Object.create(null) as Record<string, unknown>;
  if (options === undefined || options === null) return copy as T;
  for (const key of Object.keys(options)) copy[key] = (options as Record<string, unknown>)[key];
  return copy as T;
}
