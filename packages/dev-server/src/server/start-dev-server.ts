/** `startDevServer`: the authorization server, MCA and plain OAuth 2.0, on 127.0.0.1. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { JSONWebKeySet, JWTPayload } from 'jose';
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

  // The URLs depend on the port, known only once listening; routes read `ctx`, set just after.
  let ctx!: ServerContext;
  let documents!: { metadata: Record<string, unknown>; openid: Record<string, unknown>; jwks: Record<string, unknown>; mcaKey: Record<string, unknown> };
  const setTokenTtl = (seconds: number): void => {
    ctx.tokenTtl = checkTtl(seconds, 'seconds');
  };

  const route = (req: IncomingMessage, res: ServerResponse): Promise<void> | void => {
    const { path } = splitUrl(req.url);
    switch (path) {
      case PATHS.oauthToken:
        return handleTokenRequest(ctx, req, res);
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

  const server = createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
    const pending = route(req, res);
    if (pending) {
      pending.catch((error: unknown) => {
        // A bug, not a protocol error: answer 500 without details and keep serving.
        process.emitWarning(`dev-server route failed: ${error instanceof Error ? error.message : String(error)}`, 'McaDevServerWarning');
        if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
        else res.destroy();
      });
    }
  });

  const url = await listenOnLoopback(server, options.port ?? 0);
  const tokenEndpoint = `${url}${PATHS.oauthToken}`;
  const jwksUri = `${url}${PATHS.jwks}`;
  const assertions = new ClientAssertionVerifier();
  ctx = {
    issuer: url,
    tokenEndpoint,
    keys,
    clients,
    assertions,
    stats: new TokenStats(),
    faults: new FaultController(),
    exchange: new ExchangeController(options.exchangeSubjectAudiences ?? [defaultAudience]),
    defaultAudience,
    tokenTtl,
    oauthAuth: {
      clients,
      assertions,
      methods: new Set(['client_secret_basic', 'client_secret_post', 'private_key_jwt']),
      assertionAudiences: [tokenEndpoint, url],
    },
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
    metadataUrl: `${url}${PATHS.oauthMetadata}`,
    openidConfigurationUrl: `${url}${PATHS.openidConfiguration}`,
    jwksUri,
    jwks: keys.jwks,
    defaultAudience,
    clients,
    stats: ctx.stats,
    faults: ctx.faults,
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
