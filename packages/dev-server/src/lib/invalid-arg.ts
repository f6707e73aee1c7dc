/** Builds the error thrown for a caller's mistake: a TypeError with Node's `code`, as jose does. */

export function invalidArg(message: string): TypeError & { code: 'ERR_INVALID_ARG_VALUE' } {
  const error = new TypeError(message) as TypeError & { code: 'ERR_INVALID_ARG_VALUE' };
  error.code = 'ERR_INVALID_ARG_VALUE';
  return error;
}
