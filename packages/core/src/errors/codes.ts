/** The stable error codes of mca-oauth: check `err.code`, not `instanceof` (two copies of core may be loaded). */

/** Codes kept from bms-mca-oauth-sdk so old apps that check them keep working. */
export const SeedErrorCodes = {
  MISSING_APPID_ERROR: 'MISSING_APPID_ERROR',
  MISSING_CLIENTID_ERROR: 'MISSING_CLIENTID_ERROR',
  MISSING_SECRET_ERROR: 'MISSING_SECRET_ERROR',
  MISSING_SERVER_URL_ERROR: 'MISSING_SERVER_URL_ERROR',
  TOKEN_GENERATE_ERROR: 'TOKEN_GENERATE_ERROR',
} as const;

export const McaErrorCodes = {
  ...SeedErrorCodes,
  /** An option has the wrong type or value; the message names the option. */
  INVALID_OPTION: 'MCA_INVALID_OPTION',
  /** An option name that core does not know (a typo?); the message names it, where it is, and the nearest known name. */
  UNKNOWN_OPTION: 'MCA_UNKNOWN_OPTION',
  /** `VCAP_SERVICES` / `VCAP_APPLICATION` is not valid JSON, or has no MCA/AppID service. */
  INVALID_VCAP: 'MCA_INVALID_VCAP',
  /** No `match` or `routes` anywhere: we never stamp every URL by default. */
  NO_MATCH_CONFIGURED: 'MCA_NO_MATCH_CONFIGURED',
  /** The token endpoint could not be reached (refused, reset, DNS, TLS). */
  TOKEN_ENDPOINT_UNREACHABLE: 'MCA_TOKEN_ENDPOINT_UNREACHABLE',
  /** The token endpoint did not answer within `timeoutMs`. */
  TOKEN_TIMEOUT: 'MCA_TOKEN_TIMEOUT',
  /** The token endpoint answered an HTTP error with no OAuth error body. */
  TOKEN_HTTP_ERROR: 'MCA_TOKEN_HTTP_ERROR',
  /** The token endpoint answered an OAuth error (RFC 6749 §5.2): see `oauthError`. */
  TOKEN_OAUTH_ERROR: 'MCA_TOKEN_OAUTH_ERROR',
  /** The token endpoint answered 2xx with a body that breaks the protocol. */
  TOKEN_INVALID_RESPONSE: 'MCA_TOKEN_INVALID_RESPONSE',
  /** Discovery (RFC 8414 / OpenID Connect) failed: missing, invalid, or issuer mismatch. */
  DISCOVERY_FAILED: 'MCA_DISCOVERY_FAILED',
  /** The caller aborted while a token was being fetched. */
  ABORTED: 'MCA_ABORTED',
  /** An incoming request's Authorization header is not a well-formed bearer value. */
  INVALID_INCOMING_AUTHORIZATION: 'MCA_INVALID_INCOMING_AUTHORIZATION',
} as const;

export type McaErrorCode = (typeof McaErrorCodes)[keyof typeof McaErrorCodes];

/** Codes that mean "getting a token failed"; the seed-compatible API reports them as TOKEN_GENERATE_ERROR. */
export const tokenFailureCodes: ReadonlySet<McaErrorCode> = new Set<McaErrorCode>([
  McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE,
  McaErrorCodes.TOKEN_TIMEOUT,
  McaErrorCodes.TOKEN_HTTP_ERROR,
  McaErrorCodes.TOKEN_OAUTH_ERROR,
  McaErrorCodes.TOKEN_INVALID_RESPONSE,
  McaErrorCodes.DISCOVERY_FAILED,
]);
