/** The environment variables read for apps not on Cloud Foundry, and how VCAP and them fill in unset options. */
import type { TokenOptions } from './options.js';
import type { VcapCredentials } from './vcap.js';

/** Variable name for each option it can fill in; documented in core's README. */
export const ENVIRONMENT_VARIABLES = {
  protocol: 'MCA_PROTOCOL',
  appId: 'MCA_APP_ID',
  clientId: 'MCA_CLIENT_ID',
  secret: 'MCA_SECRET',
  serverUrl: 'MCA_SERVER_URL',
  tokenEndpoint: 'MCA_TOKEN_ENDPOINT',
  issuer: 'MCA_ISSUER',
  scope: 'MCA_SCOPE',
  audience: 'MCA_AUDIENCE',
  resource: 'MCA_RESOURCE',
  dpop: 'MCA_DPOP',
} as const satisfies Partial<Record<keyof TokenOptions, string>>;

/** `MCA_DPOP_KEY_FILE`: a file holding the DPoP private key (PEM, or a private JWK as JSON); turns DPoP on. */
export const DPOP_KEY_FILE_VARIABLE = 'MCA_DPOP_KEY_FILE';

/** `MCA_MATCH`: comma-separated URL prefixes. */
export const MATCH_VARIABLE = 'MCA_MATCH';

type Filled = Partial<Record<keyof typeof ENVIRONMENT_VARIABLES, string>>;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** What VCAP says for each option, then what the environment says, per field (options are laid over this). */
export function defaultsFromPlatform(vcap: VcapCredentials, env: Readonly<Record<string, string | undefined>>): Filled {
  const fromVcap: Filled = {
    appId: vcap.tenantId ?? vcap.applicationId,
    clientId: vcap.clientId,
    secret: vcap.secret,
    serverUrl: vcap.serverUrl,
    // App ID's token endpoint is `{oauthServerUrl}/token`: plain OAuth 2.0, no protocol of its own.
    tokenEndpoint: vcap.oauthServerUrl === undefined ? undefined : `${vcap.oauthServerUrl.replace(/\/+$/, '')}/token`,
  };
  const filled: Filled = {};
  for (const [option, variable] of Object.entries(ENVIRONMENT_VARIABLES) as [keyof Filled, string][]) {
    const value = fromVcap[option] ?? nonEmpty(env[variable]);
    if (value !== undefined) filled[option] = value;
  }
  return filled;
}
