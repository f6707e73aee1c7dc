/** The options of mca-oauth, documented once here; the README and the API reference point at them. */
import type { KeyObject } from 'node:crypto';
import type { MatchInput } from '../matching/index.js';
import type { McaLogger } from '../observability/logger.js';
import type { TokenCache } from '../cache/token-cache.js';
import type { SharedTokenStore } from '../shared-store/shared-token-store.js';
import type { TlsOptions } from '../network/tls-settings.js';

export type { TlsOptions } from '../network/tls-settings.js';

/** `mca`: the Bluemix Mobile Client Access endpoint; `oauth2`: any RFC 6749 client-credentials server. */
export type TokenProtocol = 'mca' | 'oauth2';

/**
 * How the client proves who it is to the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2), or with its TLS client
 * certificate (RFC 8705 §2.1 `tls_client_auth`: a CA-issued certificate; §2.2 `self_signed_tls_client_auth`).
 */
export type ClientAuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'private_key_jwt'
  | 'tls_client_auth'
  | 'self_signed_tls_client_auth';

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
   * `tls_client_auth` and `self_signed_tls_client_auth` (RFC 8705) send `client_id` and no secret, and present
   * the certificate of `tls` (required: `cert` and `key`, or `pfx`); discovery then prefers
   * `mtls_endpoint_aliases.token_endpoint` (RFC 8705 §5).
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
  /**
   * Sender-constrained tokens (DPoP, RFC 9449): the token is bound to a key that never leaves the process, and
   * every stamped request carries `Authorization: DPoP <token>` and a fresh signed `DPoP` proof for its method and
   * URL, so a leaked token is useless without the key. The token endpoint must answer `token_type: DPoP`; a
   * `Bearer` answer fails with `MCA_DPOP_UNBOUND_TOKEN` (the token is not used). Server nonces (RFC 9449 §8, §9)
   * are handled: a request asked for one is sent once more with it.
   * - `true`: an ES256 key pair made in memory when the options are validated, never written or exported.
   * - `{ privateKey, alg }`: a PEM (PKCS#8 or SEC1), private JWK or `KeyObject` for a P-256/384/521, Ed25519 or
   *   RSA (≥ 2048 bits) key; `alg` is one of ES256, ES384, ES512, EdDSA, PS256, RS256 and defaults from the key
   *   (the JWK's `alg`, the curve, RS256 for RSA). The key is a secret: it never shows in a message, log, event,
   *   `util.inspect` or JSON.
   *
   * The key's RFC 7638 thumbprint is part of the token's cache identity: with a shared `store`, processes share
   * DPoP tokens only when they hold the same key, so give every replica the same `privateKey` (a key made with
   * `true` is never shared).
   * Default: off (`MCA_DPOP=true` turns it on with a key made in memory; `MCA_DPOP_KEY_FILE` names a PEM or JWK
   * file to read the key from). Cost: one signature per request (ES256 ≈ 35 µs of CPU); the token's `ath` is
   * hashed once per token.
   */
  dpop?: true | { privateKey?: string | PrivateJwk | KeyObject; alg?: string };
  /**
   * The forward proxy for this route's token and discovery requests (never for the stamped requests: those
   * are the app's): an `http://` or `https://` proxy URL, whose `user:password@` is sent as
   * `Proxy-Authorization: Basic` and treated as a secret, or `false` for none. https endpoints are reached
   * through CONNECT, with the TLS handshake (and its verification) end to end with the endpoint.
   * Default: the environment, as curl reads it: `https_proxy`/`HTTPS_PROXY` for https endpoints,
   * `http_proxy`/`HTTP_PROXY` for http ones (lowercase wins), minus `no_proxy`/`NO_PROXY` (`*`, host names
   * and their subdomains, `.suffix`, `host:port`, IP literals and CIDR blocks); loopback endpoints are never
   * proxied unless this option names a proxy. Failures: `MCA_PROXY_ERROR`.
   */
  proxy?: string | false;
  /**
   * TLS for this route's token and discovery requests: a private CA, a client certificate for mutual TLS,
   * SNI. There is no way to turn verification off. Default: Node's trusted CAs plus the PEM file
   * `MCA_CA_FILE`, the client certificate of `MCA_CLIENT_CERT_FILE` and `MCA_CLIENT_KEY_FILE` (read once, at
   * creation). Cost: one connection pool per distinct setting.
   */
  tls?: TlsOptions;
}

/** A route's token exchange (RFC 8693): its tokens are minted for the user given to `onBehalfOf`. */
export interface ExchangeOptions {
  /**
   * The type of the user's token (RFC 8693 §3), sent as `subject_token_type`.
   * Default: `urn:ietf:params:oauth:token-type:access_token`.
   */
  subjectTokenType?: string;
  /** The type of token to ask for (RFC 8693 §2.1 `requested_token_type`). Default: none (the server decides). */
  requestedTokenType?: string;
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
  /**
   * This route's tokens come from token exchange (RFC 8693): each request is made on behalf of the user given to
   * `onBehalfOf`, with a token the token endpoint minted for that user; the route's `audience`, `resource` and
   * `scope` go into the exchange request, and the client authenticates as for client credentials. Needs the
   * OAuth 2.0 protocol. A matching request outside `onBehalfOf` is not sent (MCA_NO_SUBJECT_TOKEN).
   *
   * The cache keeps one token per route and user (keyed by a SHA-256 digest of the user's token, never the token),
   * within `cacheSize`; a token never outlives the user's token when that is a JWT with `exp`. Exchanged tokens
   * never go to the shared `store`: they are per user and per process, and a store would only spread them.
   * With `dpop`, each user's exchanged token is DPoP-bound (the exchange carries a proof; `token_type` must be DPoP).
   * Default: none (client credentials).
   */
  exchange?: ExchangeOptions;
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
