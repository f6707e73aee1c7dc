/**
 * What an axios caller gets when the token could not be had: axios's own error shapes, with the
 * McaError as `cause`, so `catch` code written for axios keeps working and `err.code` says what failed.
 */
import { AxiosError, CanceledError, type InternalAxiosRequestConfig } from 'axios';
import { isMcaError, McaError, McaErrorCodes } from '@mca-oauth/core';

// Non-enumerable, as AxiosError.from() sets it (axios#7205): structured loggers walk own properties.
function withCause<E extends Error>(error: E, cause: unknown): E {
  Object.defineProperty(error, 'cause', { value: cause, writable: true, enumerable: false, configurable: true });
  return error;
}

/**
 * - The caller aborted (`config.signal`): a `CanceledError`, as axios rejects an aborted request, so
 *   `axios.isCancel(err)` is true; `cause` is the McaError `MCA_ABORTED`.
 * - Any other McaError: an `AxiosError` whose `code` is the McaError's code, without `response`.
 * - Anything else (a bug): passed through untouched.
 */
export function toAxiosError(error: unknown, config: InternalAxiosRequestConfig): unknown {
  if (!isMcaError(error)) return error;
  if (error.code === McaErrorCodes.ABORTED) return withCause(new CanceledError(undefined, config), error);
  return withCause(new AxiosError(error.message, error.code, config), error);
}

/** axios's own timeout error, as its http adapter builds it, for a `timeout` that ran out during the token wait. */
export function tokenWaitTimeoutError(config: InternalAxiosRequestConfig): AxiosError {
  const message = config.timeoutErrorMessage || `timeout of ${config.timeout}ms exceeded`;
  const code = config.transitional?.clarifyTimeoutError ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED;
  const cause = new McaError(
    McaErrorCodes.TOKEN_TIMEOUT,
    `The request's timeout of ${config.timeout}ms ran out while its token was being fetched.`,
  );
  return withCause(new AxiosError(message, code, config), cause);
}
