/** `startDevServer`: the authorization server, MCA and plain OAuth 2.0, on 127.0.0.1. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONWebKeySet, JWTPayload } from 'jose';
import type { DpopOptions } from '../dpop/dpop-options.js';
import { DpopProofChecker, type DpopControl } from '../dpop/proof-checker.js';
import { invalidArg } from '../lib/invalid-arg.js';
import { closeServer, listenOnLoopback } from '../lib/listen.js';
import { sendJson, splitUrl } from '../lib/send.js';
import { handleAdmin } from './admin-routes.js';
import { ClientAssertionVerifier } from './client-assertion.js';
import { ClientRegistry, type ClientConfig } from './clients.js';
import type { ServerContext } from './context.js';
import { DEFAULT_AUDIENCE, DEFAULT_CLIENT, DEFAULT_TOKEN_TTL, PATHS } from './defaults.js';
import { oauthMetadata, openidConfiguration, parseMcaPath, serveDocument } from './document-routes.js';
import { FaultController } from './faults.js';
import { ExchangeController } from './exchange-controller.js';
import { createServerKeys, type SigningAlgorithm } from './keys.js';
import { signClaims } from './sign-token.js';
import { handleTokenRequest } from './token-route.js';
import { TokenStats } from './token-stats.js';
import { createCertificateAuthority, type CertificateAndKey, type CertificateAuthority } from '../tls/certificates.js';
import { createLoopbackServer } from '../tls/loopback-server.js';
import { peerCertificateOf } from '../tls/peer-certificate.js';

/** https for the dev server: a CA of its own, made at start, issues its certificate. */
export interface DevServerHttpsOptions {
  /** Host names the certificate names besides 127.0.0.1 and localhost (e.g. one a proxy resolves). Default: none. */
  hostnames?: string[];
  /** Answer `401 invalid_client` to every request whose connection presented no client certificate. Default: false. */
  requireClientCertificate?: boolean;
}

/** Options of `startDevServer`; the JSON config file of the CLI has the same fields. */
export interface DevServerOptions {
  /** TCP port on 127.0.0.1. Default: 0, any free port (read the chosen one from `url`). */
  port?: number;
  /**
   * The clients. Default: `[DEFAULT_CLIENT]`. Giving a list replaces the default client; spread
   * `DEFAULT_CLIENT` into it to keep it.
   */
  clients?: ClientConfig[];
  /** Access-token lifetime in seconds, an integer >= 1 (1 is for refresh tests). Default: 3600. */
  tokenTtl?: number;
  /** `aud` of OAuth tokens requested without `audience`/`resource`. Default: `DEFAULT_AUDIENCE`. */
  defaultAudience?: string;
  /**
   * Algorithm of plain-OAuth access tokens. Default: `RS256`, what every verifier accepts.
   * `ES256` or `EdDSA` sign about ten times faster: use one when a benchmark hammers the token
   * endpoint. MCA tokens are RS256 whatever this says.
   */
  signingAlg?: SigningAlgorithm;
  /**
   * DPoP (RFC 9449) at the token endpoints. A token request with a valid `DPoP` proof always gets
   * a token bound to its key (`cnf.jkt`, `token_type: DPoP`); one without gets Bearer. These
   * options set the checks (nonce, algorithms, `iat` window, replay store); see `DpopOptions`.
   * Default: nonces not required.
   */
  dpop?: DpopOptions;
  /**
   * Serve https instead of http, with a certificate from a CA made at start (trust `ca`). Client certificates
   * are asked for on every connection: clients registered with `tlsClientAuthSubject` or
   * `selfSignedCertificate` authenticate with one at `mtlsTokenEndpoint` (RFC 8705), and get tokens bound to
   * it (`cnf.x5t#S256`). Default: false (plain http).
   */
  https?: boolean | DevServerHttpsOptions;
  /** Shorthand for `https: { requireClientCertificate: true }`. Default: false. */
  requireClientCertificate?: boolean;
  /**
   * Token exchange (RFC 8693) on `/oauth2/token`: subject tokens must be this server's own, unexpired, with one
   * of these in `aud` (the services allowed to act for their users). Default: `[defaultAudience]`.
   */
  exchangeSubjectAudiences?: string[];
}

/** A running dev server. Every URL is absolute, on 127.0.0.1, without a trailing slash. */
export interface DevServer {
  /** Base URL, e.g. `http://127.0.0.1:53817`. */
  readonly url: string;
  /** The `iss` of every token and of the discovery documents; equal to `url` (RFC 8414 §2). */
  readonly issuer: string;
  /** Plain OAuth 2.0 token endpoint, `${url}/oauth2/token`. */
  readonly tokenEndpoint: string;
  /** https only: the token endpoint for certificate clients (`mtls_endpoint_aliases`, RFC 8705 §5), `${url}/oauth2/mtls/token`. */
  readonly mtlsTokenEndpoint?: string;
  /** https only: the PEM of the CA that issued the server's certificate; trust it (`tls.ca`, `MCA_CA_FILE`). */
  readonly ca?: string;
  /** https only: the CA itself; `certificateAuthority.issue({ commonName })` makes client certificates it accepts. */
  readonly certificateAuthority?: CertificateAuthority;
  /** https only: a client certificate and key from the server's CA, for a `tlsClientAuthSubject` client. */
  issueClientCertificate?(commonName: string): CertificateAndKey;
  /** RFC 8414 §3 metadata URL, `${url}/.well-known/oauth-authorization-server`. */
  readonly metadataUrl: string;
  /** OpenID Connect Discovery URL, `${url}/.well-known/openid-configuration`. */
  readonly openidConfigurationUrl: string;
  /** JWKS URL, `${url}/.well-known/jwks.json`. */
  readonly jwksUri: string;
  /** The public keys (what `jwksUri` serves); give it, or the server, to a local verifier. */
  readonly jwks: JSONWebKeySet;
  /** The `aud` of OAuth tokens requested without `audience` or `resource`. */
  readonly defaultAudience: string;
  /** The configured clients; `clients.add(config)` registers one at run time. */
  readonly clients: ClientRegistry;
  /** Token-request counters; `snapshot()`, `reset()`, `tokenRequests`. */
  readonly stats: TokenStats;
  /** Fault injection; `inject(fault)`, `clear()`, `remove(id)`, `list()`. */
  readonly faults: FaultController;
  /** DPoP switches and counters of the token endpoints: `requireNonce`, `rotateNonce()`, `stats`. */
  readonly dpop: DpopControl;
  /**
   * Token exchange: `exchangesFor(sub)` counts exchanges per subject; `refuse(sub)` answers `invalid_grant` for
   * that subject; `latencyMs = n` slows every exchange; `reset()`.
   */
  readonly exchange: ExchangeController;
  /** Current access-token lifetime in seconds. */
  readonly tokenTtl: number;
  /** MCA token endpoint of a tenant: `${url}/authorization/v1/apps/${tenantId}/token`. */
  mcaTokenEndpoint(tenantId: string): string;
  /** MCA public-key endpoint of a tenant (answers the RSA key as `{ n, e }`). */
  mcaPublicKeyEndpoint(tenantId: string): string;
  /** Changes the lifetime of tokens issued from now on (integer seconds >= 1). */
  setTokenTtl(seconds: number): void;
  /**
   * Signs arbitrary claims with the key of OAuth tokens, e.g. to craft an expired token or one with
   * a foreign audience for a verifier test. Nothing is added: pass `iss`, `aud`, `exp` yourself.
   */
  signToken(claims: JWTPayload): Promise<string>;
  /** Stops the server; resolves once every socket is closed, held (`hang`) requests included. */
  close(): Promise<void>;
}

function checkTtl(seconds: unknown, name: string): number {
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1) {
    throw invalidArg(`${name} must be an integer number of seconds >= 1, got ${String(seconds)}`);
  }
  return seconds;
}

function httpsOptionsOf(options: DevServerOptions): DevServerHttpsOptions | undefined {
  const { https, requireClientCertificate } = options;
  if (https !== undefined && typeof https !== 'boolean' && (typeof https !== 'object' || https === null)) {
    throw invalidArg('options.https must be true, false or an object');
  }
  if (https === false && requireClientCertificate === true) throw invalidArg('options.requireClientCertificate needs https');
  if (https === undefined || https === false) return requireClientCertificate === true ? { requireClientCertificate } : undefined;
  const settings: DevServerHttpsOptions = https === true ? {} : https;
  if (settings.hostnames !== undefined && (!Array.isArray(settings.hostnames) || settings.hostnames.some((name) => typeof name !== 'string' || name === ''))) {
    throw invalidArg('options.https.hostnames must be an array of host names');
  }
  return { ...settings, requireClientCertificate: settings.requireClientCertificate === true || requireClientCertificate === true };
}

/** Starts the server on 127.0.0.1 and resolves once it is listening. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const tokenTtl = checkTtl(options.tokenTtl ?? DEFAULT_TOKEN_TTL, 'options.tokenTtl');
  const signingAlg = options.signingAlg ?? 'RS256';
  if (!['RS256', 'ES256', 'EdDSA'].includes(signingAlg)) throw invalidArg('options.signingAlg must be RS256, ES256 or EdDSA');
  const defaultAudience = options.defaultAudience ?? DEFAULT_AUDIENCE;
  if (typeof defaultAudience !== 'string' || defaultAudience === '') throw invalidArg('options.defaultAudience must be a non-empty string');

  const clients = new ClientRegistry();
  const configs = options.clients ?? [DEFAULT_CLIENT];
  if (!Array.isArray(configs)) throw invalidArg('options.clients must be an array');
  for (const [i, config] of configs.entries()) await clients.add(config, `options.clients[${i}]`);
  const keys = await createServerKeys(signingAlg);
  const dpop = new DpopProofChecker(options.dpop, 'options.dpop');
  const https = httpsOptionsOf(options);
  const authority = https === undefined ? undefined : createCertificateAuthority();

  // The URLs depend on the port, known only once listening; routes read `ctx`, set just after.
  let ctx!: ServerContext;
  let documents!: { metadata: Record<string, unknown>; openid: Record<string, unknown>; jwks: Record<string, unknown>; mcaKey: Record<string, unknown> };
  const setTokenTtl = (seconds: number): void => {
    ctx.tokenTtl = checkTtl(seconds, 'seconds');
  };

  const route = (req: IncomingMessage, res: ServerResponse): Promise<void> | void => {
    const { path } = splitUrl(req.url);
    if (https?.requireClientCertificate === true && peerCertificateOf(req) === undefined) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'this server requires a TLS client certificate' });
    }
    switch (path) {
      case PATHS.oauthToken:
        return handleTokenRequest(ctx, req, res);
      case PATHS.mtlsToken:
        if (ctx.mtlsTokenEndpoint !== undefined) return handleTokenRequest(ctx, req, res, undefined, ctx.mtlsAuth);
        break;
      case PATHS.oauthMetadata:
        return serveDocument(ctx, req, res, 'discovery', documents.metadata);
      case PATHS.openidConfiguration:
        return serveDocument(ctx, req, res, 'discovery', documents.openid);
      case PATHS.jwks:
        return serveDocument(ctx, req, res, 'jwks', documents.jwks);
    }
    if (path.startsWith(PATHS.mcaPrefix)) {
      const mca = parseMcaPath(path);
      if (mca?.action === 'token') return handleTokenRequest(ctx, req, res, mca.tenantId);
      if (mca?.action === 'publickey') return serveDocument(ctx, req, res, 'jwks', documents.mcaKey);
    }
    if (path.startsWith('/__admin/')) return handleAdmin(ctx, setTokenTtl, req, res);
    sendJson(res, 404, { error: 'not_found', error_description: `no route for ${path}` });
  };

  const server = createLoopbackServer((req, res) => {
    const pending = route(req, res);
    if (pending) {
      pending.catch((error: unknown) => {
        // A bug, not a protocol error: answer 500 without details and keep serving.
        process.emitWarning(`dev-server route failed: ${error instanceof Error ? error.message : String(error)}`, 'McaDevServerWarning');
        if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
        else res.destroy();
      });
    }
  }, authority === undefined ? undefined : { authority, hostnames: https?.hostnames ?? [] }, 10_000);

  const url = await listenOnLoopback(server, options.port ?? 0);
  const tokenEndpoint = `${url}${PATHS.oauthToken}`;
  const jwksUri = `${url}${PATHS.jwks}`;
  const assertions = new ClientAssertionVerifier();
  const oauthAuth = {
    clients,
    assertions,
    methods: new Set(['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const),
    assertionAudiences: [tokenEndpoint, url],
  };
  const mtlsTokenEndpoint = authority === undefined ? undefined : `${url}${PATHS.mtlsToken}`;
  ctx = {
    issuer: url,
    tokenEndpoint,
    keys,
    clients,
    assertions,
    stats: new TokenStats(dpop.stats),
    dpop,
    faults: new FaultController(),
    exchange: new ExchangeController(options.exchangeSubjectAudiences ?? [defaultAudience]),
    defaultAudience,
    tokenTtl,
    oauthAuth,
    mtlsAuth: {
      ...oauthAuth,
      methods: new Set([...oauthAuth.methods, 'tls_client_auth', 'self_signed_tls_client_auth'] as const),
      assertionAudiences: [...oauthAuth.assertionAudiences, ...(mtlsTokenEndpoint === undefined ? [] : [mtlsTokenEndpoint])],
    },
    ...(mtlsTokenEndpoint !== undefined && { mtlsTokenEndpoint }),
    mcaAuth: { clients, assertions, methods: new Set(['client_secret_basic']), assertionAudiences: [] },
  };
  documents = {
    metadata: oauthMetadata(ctx, jwksUri),
    openid: openidConfiguration(ctx, jwksUri),
    jwks: keys.jwks as unknown as Record<string, unknown>,
    // The MCA service answered the bare modulus and exponent, base64url as in a JWK.
    mcaKey: { n: keys.rsa.publicJwk.n, e: keys.rsa.publicJwk.e },
  };

  const mcaBase = (tenantId: string): string => `${url}${PATHS.mcaPrefix}${encodeURIComponent(tenantId)}`;
  return {
    url,
    issuer: url,
    tokenEndpoint,
    ...(mtlsTokenEndpoint !== undefined && { mtlsTokenEndpoint }),
    ...(authority !== undefined && {
      ca: authority.cert,
      certificateAuthority: authority,
      issueClientCertificate: (commonName: string) => authority.issue({ commonName }),
    }),
    metadataUrl: `${url}${PATHS.oauthMetadata}`,
    openidConfigurationUrl: `${url}${PATHS.openidConfiguration}`,
    jwksUri,
    jwks: keys.jwks,
    defaultAudience,
    clients,
    stats: ctx.stats,
    faults: ctx.faults,
    dpop,
    exchange: ctx.exchange,
    get tokenTtl() {
      return ctx.tokenTtl;
    },
    mcaTokenEndpoint: (tenantId) => `${mcaBase(tenantId)}/token`,
    mcaPublicKeyEndpoint: (tenantId) => `${mcaBase(tenantId)}/publickey`,
    setTokenTtl,
    signToken: (claims) => signClaims(keys.oauth, claims),
    close: () => closeServer(server),
  };
}
