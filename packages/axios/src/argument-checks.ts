/** The checks of the first argument our axios functions share: an axios instance, or axios itself. */
import { McaError, McaErrorCodes } from '@mca-oauth/core';

/** Throws McaError `MCA_INVALID_OPTION` unless `instance` can send a request (`instance.request(config)`). */
export function checkRequester(instance: unknown, call: string): void {
  if ((typeof instance !== 'function' && typeof instance !== 'object') || instance === null || typeof (instance as { request?: unknown }).request !== 'function') {
    throw new McaError(McaErrorCodes.INVALID_OPTION, `${call} takes an axios instance (or axios itself) as its first argument.`);
  }
}
