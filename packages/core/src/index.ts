/** @mca-oauth/core: tokens for outbound requests. Adapters use `createStamper`; old apps use the seed API. */
export { McaError, McaErrorCodes, SeedErrorCodes, isMcaError, optionErrorUnder } from './errors/index.js';
export type { McaErrorCode, McaErrorDetails, OAuthErrorBody } from './errors/index.js';

export type {
  BackoffOptions, ClientAuthMethod, ExchangeOptions, McaOptions, PrivateJwk, RefreshAheadOptions, RouteOptions, TokenOptions, TokenProtocol,
} from './config/options.js';
export type { TlsOptions } from './config/options.js';
export { ENVIRONMENT_VARIABLES, MATCH_VARIABLE } from './config/environment.js';
export { KNOWN_OPTION_NAMES, checkMcaOptionNames, checkOptionNames } from './config/known-options.js';

export { createMatcher, isLoopbackHostname } from './matching/index.js';
export type { MatchInput, MatchPredicate, MatchVerdict, MatcherOptions, UrlMatcher } from './matching/index.js';

export { createStamper } from './stamping/stamper.js';
export type { AuthorizationResult, RejectionOptions, StampOptions, StampResult, Stamper } from './stamping/stamper.js';
// A type only: core alone makes stamps.
export type { RequestStamp, ResponseVerdict, RetryRecord } from './stamping/request-stamp.js';
export { getAuthorizationHeaderFromIncomingRequest } from './stamping/incoming-authorization.js';
export type { IncomingRequestLike } from './stamping/incoming-authorization.js';
export { onBehalfOf } from './exchange/on-behalf-of.js';
export type { SubjectInput } from './exchange/subject.js';

export { TokenCache, createTokenCache } from './cache/token-cache.js';
export type { TokenCacheOptions } from './cache/token-cache.js';
export { IssuedToken } from './providers/issued-token.js';
export type { TokenProvider } from './providers/issued-token.js';

export { CHANNEL_NAMES } from './observability/index.js';
export { readMcaCounts, type McaCounts, type RouteCounts } from './observability/index.js';
export type {
  CacheEvent, McaLogger, SkippedEvent, StampedEvent, TokenRequestEndEvent, TokenRequestErrorEvent, TokenRequestStartEvent,
} from './observability/index.js';
export type { StoreAdoptEvent, StoreErrorEvent } from './observability/channels.js';
export type { RejectedEvent, RetryEvent, TokenRequestTarget } from './observability/index.js';

export { createSharedStoreObserver, withSharedStore } from './shared-store/index.js';
export type {
  SharedStoreObserver, SharedStoreOptions, SharedTokenLock, SharedTokenStore, SharedTokenWait, StoreOperation,
} from './shared-store/index.js';

export { closeIdleTokenConnections } from './http/private-agents.js';

export { getAuthorizationHeader, getAuthorizationHeaderBySecret } from './seed/seed-api.js';
export type { SeedOptions } from './seed/seed-api.js';

export { callerAuthorizationOf, callerCredentialOf, callerDpopOf } from './stamping/caller-authorization.js';
export { isReplayableBody } from './stamping/replayable-body.js';
export { scrubSentAuthorization } from './stamping/scrub-sent-request.js';
