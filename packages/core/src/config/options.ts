/** The options of mca-oauth, documented once here; the README and the API reference point at them. */
import type { KeyObject } from 'node:crypto';
import type { MatchInput } from '../matching/index.js';
import type { McaLogger } from '../observability/logger.js';
import type { TokenCache } from '../cache/token-cache.js';
import type { SharedTokenStore } from '../shared-store/shared-token-store.js';

/** `mca`: the Bluemix Mobile Client Access endpoint; `oauth2`: any RFC 6749 client-credentials server. */
export type TokenProtocol = 'mca' | 'oauth2';

/** How the client proves who it is to the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

/** A JWK with a private part, as jose and `crypto.createPrivateKey({ format: 'jwk' })` take it. */
export type PrivateJwk = { kty: string; d?: string; kid?: string; alg?: string; [parameter: string]: unknown };

/** Everything that decides which token is fetched, and how. */
export interface TokenOptions {
  /**
   * Which token protocol to speak.
   * Default: `oauth2` when `tokenEndpoint` or `issuer` is set, else `mca`.
   */
  protocol?: TokenProtocol;
  /**
   * MCA: the application (tenant) id in `{serverUrl}/authorization/v1/apps/{appId}/token`.
   * Default: `VCAP_SERVICES` credentials `tenantId`, then `VCAP_APPLICATION.application_id`, then `MCA_APP_ID`.
   */
  appId?: string;
  /** The OAuth client id. Default: VCAP credentials `clientId`, then `MCA_CLIENT_ID`. */
  clientId?: string;
  /**
   * The client secret (for `client_secret_basic` and `client_secret_post`). It is wrapped at once so that it
   * never appears in a message, log line, `util.inspect` or `JSON.stringify`.
   * Default: VCAP credentials `secret`, then `MCA_SECRET`.
   */
  secret?: string;
  /** MCA: the server's base URL. Default: VCAP credentials `serverUrl`, then `MCA_SERVER_URL`. */
  serverUrl?: string;
  /** OAuth 2.0: the token endpoint URL. Default: `MCA_TOKEN_ENDPOINT`, else discovered from `issuer`. */
  tokenEndpoint?: string;
  /**
   * OAuth 2.0: the issuer, whose metadata is discovered (RFC 8414, then OpenID Connect Discovery) when
   * `tokenEndpoint` is not given. The document's `issuer` must equal it (RFC 8414 §3.3).
   * Default: `MCA_ISSUER`.
   */
  issuer?: string;
  /** Scopes to request, as a space-separated string or an array. Default: none (`MCA_SCOPE`). */
  scope?: string | readonly string[];
  /** The `audience` parameter some servers (Auth0, Okta) need. Default: none (`MCA_AUDIENCE`). */
  audience?: string;
  /** Resource indicators (RFC 8707); each is an absolute URI. Default: none (`MCA_RESOURCE`). */
  resource?: string | readonly string[];
  /** More form parameters for the token request. Cannot override the ones above. Default: none. */
  extraParams?: Readonly<Record<string, string>>;
  /**
   * How the client authenticates. Default: `private_key_jwt` when `privateKey` is set, else
   * `client_secret_basic`. MCA always uses Basic, with the raw `clientId:secret` as the old SDK sent it.
   */
  clientAuth?: ClientAuthMethod;
  /** For `private_key_jwt`: a PEM (PKCS#8) string, a private JWK, or a `KeyObject`. */
  privateKey?: string | PrivateJwk | KeyObject;
  /** For `private_key_jwt`: the JWS algorithm. Default: the JWK's `alg`, else `RS256`. */
  privateKeyAlg?: string;
  /** For `private_key_jwt`: the `kid` header of the assertion. Default: the JWK's `kid`, else none. */
  privateKeyId?: string;
  /** Milliseconds a token (or discovery) request may take before it fails with MCA_TOKEN_TIMEOUT. Default: 10000. */
  timeoutMs?: number;
  /**
   * Lifetime in seconds assumed for a token whose response has no `expires_in` and that is not a JWT
   * with `exp`. Default: 300 (short, so a wrong guess costs only an early refresh).
   */
  defaultLifetimeSec?: number;
  /**
   * Allow stamping over plain http to a non-loopback host for this route. Tokens otherwise go only over
   * https, or http to 127.0.0.0/8, ::1 and localhost. Default: false.
   */
  allowInsecureHttp?: boolean;
}

/** One protected API: which URLs it covers, and (optionally) its own token options. */
export interface RouteOptions extends TokenOptions {
  /**
   * Which request URLs get this route's token. See `createMatcher` for the exact rules. A plain `http://` prefix
   * to a non-loopback host is refused (MCA_INVALID_OPTION) unless the route sets `allowInsecureHttp`.
   */
  match: MatchInput;
  /**
   * The route's name in events (`mca-oauth:*` channels) and log lines, beside the token's opaque key.
   * Default: the match's origin and path (`https://api.example.com/orders/`; for several, joined by spaces),
   * or `predicate#N` for the N-th predicate.
   */
  name?: string;
}

/** When a cached token is refreshed in the background, before it expires. */
export interface RefreshAheadOptions {
  /** Refresh once this share of the token's lifetime has passed. Default: 0.8. Range: (0, 1]. */
  lifetimeShare?: number;
  /** Or refresh once the token is within this many milliseconds of expiry (whichever comes first). Default: none. */
  windowMs?: number;
}

/** When token requests back off after failures. */
export interface BackoffOptions {
  /** Delay after the first failure, in milliseconds. Default: 500. */
  initialDelayMs?: number;
  /** The longest delay, in milliseconds. Default: 30000. A server's Retry-After may ask for more, up to 300000. */
  maxDelayMs?: number;
}

/** The options every adapter takes: token options, what to match, and how the cache behaves. */
export interface McaOptions extends TokenOptions {
  /**
   * Which request URLs get a token. A URL prefix string, a `URL`, a predicate, or an array of them.
   * Default: `MCA_MATCH` (comma-separated prefixes). With no `match` and no `routes`, adapters refuse to
   * start (MCA_NO_MATCH_CONFIGURED): we never stamp every URL.
   */
  match?: MatchInput;
  /** The name of the `match` route in events and logs. Default: as for `RouteOptions.name`. */
  name?: string;
  /** Several protected APIs, each with its own token options (inheriting the top-level ones). First match wins; `match` above is tried last. */
  routes?: readonly RouteOptions[];
  /** Replace an `Authorization` header the caller set. Default: false (the caller's header wins). */
  overwriteAuthorization?: boolean;
  /**
   * How many tokens the cache holds (least recently used are dropped). Passing it gives this instance its own
   * cache of that size; without it, instances share one process-wide cache of 100 tokens. Default: 100.
   */
  cacheSize?: number;
  /** A cache to share between instances explicitly (see `createTokenCache`). Default: the process-wide cache. */
  cache?: TokenCache;
  /** When to refresh in the background. Default: at 80% of the token's lifetime. */
  refreshAhead?: RefreshAheadOptions;
  /**
   * Milliseconds taken off every token's lifetime for clocks and network delay, so that a token is never
   * sent in its last moments. Capped at half the lifetime. Default: 30000.
   */
  clockSkewMs?: number;
  /** Backoff after token request failures: exponential, with jitter, capped. */
  backoff?: BackoffOptions;
  /** A logger for people who do not use `node:diagnostics_channel`. It never receives a secret or a token. */
  logger?: McaLogger;
  /** Where environment variables are read from. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * A store that processes share tokens through (e.g. `createRedisTokenStore` from `@mca-oauth/redis`), so that
   * replicas make one token request per token instead of one each, and refresh ahead once per fleet. The
   * in-process cache stays the first level; when the store is down or slow, tokens are requested directly and
   * `mca-oauth:store:error` is published: a request never fails because of the store.
   * Default: none (each process requests its own tokens).
   * Cost: a few store round trips each time a process needs a new token (a cold miss, a refresh, a 401), never on
   * a cache hit; a process that waits for another's token waits at most the store's time limit.
   */
  store?: SharedTokenStore;
}
