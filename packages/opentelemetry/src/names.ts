/**
 * Every name this instrumentation emits, in one table. There is no semantic convention for token acquisition yet
 * (open-telemetry/semantic-conventions#4022), so spans, events, metrics and our attributes live in `mca_oauth.`;
 * `server.*`, `http.response.status_code` and `error.type` are the stable general conventions.
 */

export const SPAN_NAMES = {
  /** One token request to a token endpoint (kind CLIENT). */
  tokenRequest: 'mca_oauth.token_request',
} as const;

export const EVENT_NAMES = {
  /** On the application's active span: its request found no usable token and waited for one. */
  tokenWait: 'mca_oauth.token_wait',
  /** On the application's active span: its request is sent again (after a 401, or for a DPoP nonce). */
  retry: 'mca_oauth.retry',
} as const;

export const METRIC_NAMES = {
  tokenRequests: 'mca_oauth.token_requests',
  tokenRequestDuration: 'mca_oauth.token_request.duration',
  cacheLookups: 'mca_oauth.cache_lookups',
  stamps: 'mca_oauth.stamps',
  rejections: 'mca_oauth.rejections',
  retries: 'mca_oauth.retries',
  storeErrors: 'mca_oauth.store_errors',
} as const;

export const ATTRIBUTE_NAMES = {
  serverAddress: 'server.address',
  serverPort: 'server.port',
  httpResponseStatusCode: 'http.response.status_code',
  errorType: 'error.type',
  /** The route's name: its `name` option, else its match's origin and path (core's default); `seed` for the seed API. */
  route: 'mca_oauth.route',
  /** `client_credentials`, or the token-exchange URN. */
  grantType: 'mca_oauth.grant_type',
  /** Token requests: `success`, `failure`, or `adopted` (another process's token, from the shared `store`). */
  outcome: 'mca_oauth.outcome',
  /** On a token request's span: `store` when the token came from the shared store instead of the endpoint. */
  tokenSource: 'mca_oauth.token.source',
  /** Cache lookups: `hit`, `miss`, `stale` (served past its refresh point), `refresh` (a background refresh began). */
  cacheResult: 'mca_oauth.cache.result',
  /** Stamps: `stamped` or `skipped`. */
  stampResult: 'mca_oauth.stamp.result',
  /** Skipped stamps: `no-match`, `insecure`, `caller-authorization`. */
  stampSkipReason: 'mca_oauth.stamp.skip_reason',
  /** Retries: `401` or `dpop-nonce`. */
  retryKind: 'mca_oauth.retry.kind',
  /** Store errors: `get`, `set`, `lock`, `unlock`, `wait`. */
  storeOperation: 'mca_oauth.store.operation',
} as const;
