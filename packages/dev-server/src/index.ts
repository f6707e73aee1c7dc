/** @mca-oauth/dev-server: a local MCA / OAuth 2.0 authorization server, a token verifier, and a protected API. */

export { startDevServer, type DevServer, type DevServerHttpsOptions, type DevServerOptions } from './server/start-dev-server.js';
export {
  certificateThumbprint,
  createCertificateAuthority,
  createSelfSignedCertificate,
  type CertificateAndKey,
  type CertificateAuthority,
  type CertificateOptions,
} from './tls/certificates.js';
export { certificateBindingProblem } from './verifier/certificate-binding.js';
export { readConfigFile } from './server/config-file.js';
export { ClientRegistry, type ClientConfig } from './server/clients.js';
export type { SigningAlgorithm } from './server/keys.js';
export {
  DEFAULT_AUDIENCE,
  DEFAULT_CLIENT,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_TENANT_ID,
  DEFAULT_TOKEN_TTL,
} from './server/defaults.js';
export { FaultController, type ActiveFault, type Fault, type FaultTarget, type MalformedBody } from './server/faults.js';
export { statsKey, TokenStats, type RequestCounts, type StatsKeyParts, type TokenStatsSnapshot } from './server/token-stats.js';
export { JWT_BEARER_ASSERTION_TYPE } from './server/client-assertion.js';
export { ExchangeController } from './server/exchange-controller.js';
export { TOKEN_EXCHANGE_GRANT_TYPE, ACCESS_TOKEN_TYPE } from './server/token-exchange.js';

export {
  createTokenVerifier,
  type TokenVerifier,
  type TokenVerifierOptions,
  type VerificationResult,
  type VerifierStats,
} from './verifier/create-token-verifier.js';
export { withBearerAuth, sendBearerRejection, dpopRequestOf, type AuthenticatedHandler } from './verifier/with-bearer-auth.js';
export type { BearerErrorCode, DpopErrorCode } from './verifier/www-authenticate.js';
export type { DpopRequest } from './verifier/create-token-verifier.js';

export { DPOP_ALGORITHMS, type DpopOptions } from './dpop/dpop-options.js';
export type { DpopControl } from './dpop/proof-checker.js';
export { DpopStats, type DpopRejectionReason, type DpopStatsSnapshot } from './dpop/dpop-stats.js';
export { accessTokenHash } from './dpop/access-token-hash.js';

export {
  startProtectedApi,
  type ProtectedApi,
  type ProtectedApiOptions,
  type ProtectedApiStats,
} from './protected-api/start-protected-api.js';
export { startEchoServer, type EchoServer, type EchoServerOptions } from './protected-api/start-echo-server.js';
export { ReceivedLog, type ReceivedRequest } from './protected-api/received-log.js';
export type { EchoBody } from './protected-api/echo.js';
