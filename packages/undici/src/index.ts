/** @mca-oauth/undici: OAuth 2.0 bearer tokens on undici requests and Node's global fetch, via core's stamper. */
export { mcaInterceptor } from './mca-interceptor.js';
export { McaAgent, type McaAgentOptions } from './mca-agent.js';
export type { ClientCertificate } from './client-certificate.js';
export { McaError, McaErrorCodes, isMcaError } from '@mca-oauth/core';
export type { McaErrorCode, McaOptions } from '@mca-oauth/core';
export { onBehalfOf, type SubjectInput } from '@mca-oauth/core';
