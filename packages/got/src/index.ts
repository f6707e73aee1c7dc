/** @mca-oauth/got: got hooks that stamp OAuth 2.0 bearer tokens on the requests that match. */
export { mcaHooks, type McaGotOptions } from './mca-hooks.js';
export { McaError, McaErrorCodes, isMcaError } from '@mca-oauth/core';
export type { McaErrorCode, McaOptions } from '@mca-oauth/core';
export { onBehalfOf, type SubjectInput } from '@mca-oauth/core';
