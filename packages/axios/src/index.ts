/** @mca-oauth/axios: axios interceptors that stamp OAuth 2.0 bearer tokens on the requests that match. */
export { mcaInterceptor, type McaInterceptor } from './mca-interceptor.js';
export { mcaRetryOn401, type AxiosRequester } from './retry-on-401.js';
export { installMca, type McaInstallation } from './install-mca.js';

export { McaError, McaErrorCodes, isMcaError } from '@mca-oauth/core';
export type { McaErrorCode, McaOptions } from '@mca-oauth/core';
export { onBehalfOf, type SubjectInput } from '@mca-oauth/core';
