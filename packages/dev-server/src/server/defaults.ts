/** The zero-config values: the default client, tenant and audience, exported for tests and demos. */
import type { ClientConfig } from './clients.js';

/** Client id of the client that exists when no `clients` option is given. */
export const DEFAULT_CLIENT_ID = 'mca-dev-client';
/** Its secret. Public on purpose: the dev server is for laptops and CI, never for real users. */
export const DEFAULT_CLIENT_SECRET = 'mca-dev-secret';
/** The default client; spread it into `clients` to keep it beside your own. It may ask any scope. */
export const DEFAULT_CLIENT: Readonly<ClientConfig> = Object.freeze({
  id: DEFAULT_CLIENT_ID,
  secret: DEFAULT_CLIENT_SECRET,
});
/** The MCA tenant (Bluemix "app GUID") the CLI prints in its example URLs. Any tenant id works. */
export const DEFAULT_TENANT_ID = 'dev-tenant';
/** `aud` of OAuth tokens requested without `audience` or `resource`. */
export const DEFAULT_AUDIENCE = 'urn:mca-oauth:dev-api';
/** Access-token lifetime in seconds when `tokenTtl` is not given. */
export const DEFAULT_TOKEN_TTL = 3600;

/** Paths of the routes, so the URLs the server prints and the routes it serves cannot drift. */
export const PATHS = {
  oauthToken: '/oauth2/token',
  /** RFC 8705 §5: the token endpoint for clients that authenticate with a certificate. */
  mtlsToken: '/oauth2/mtls/token',
  jwks: '/.well-known/jwks.json',
  oauthMetadata: '/.well-known/oauth-authorization-server',
  openidConfiguration: '/.well-known/openid-configuration',
  mcaPrefix: '/authorization/v1/apps/',
  adminStats: '/__admin/stats',
  adminFaults: '/__admin/faults',
  adminTokenTtl: '/__admin/token-ttl',
  adminDpop: '/__admin/dpop',
  adminDpopRotateNonce: '/__admin/dpop/rotate-nonce',
  adminUserTokens: '/__admin/user-tokens',
  adminExchanges: '/__admin/exchanges',
} as const;
