export { McaErrorCodes, SeedErrorCodes, tokenFailureCodes, type McaErrorCode } from './codes.js';
export { McaError, isMcaError, optionErrorUnder, type McaErrorDetails, type OAuthErrorBody } from './mca-error.js';
