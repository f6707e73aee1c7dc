/** Resolves token options, once and up front: explicit options, then VCAP, then environment variables. */
import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createDpopKey } from '../dpop/key.js';
import { DpopProver } from '../dpop/prover.js';
import { McaError, McaErrorCodes } from '../errors/index.js';
import { defaultsFromPlatform, DPOP_KEY_FILE_VARIABLE, ENVIRONMENT_VARIABLES } from './environment.js';
import type { ClientAuthMethod, PrivateJwk, TokenOptions, TokenProtocol } from './options.js';
import { credentialDigest } from './credential-key.js';
import { Secret } from './secret.js';
import { resolveProxy, type ProxySetting } from '../network/proxy.js';
import { resolveTls, type ResolvedTls } from '../network/tls-settings.js';
import { clientCertificateKeyPart } from './client-certificate.js';
import { readVcap } from './vcap.js';
import { httpUrl, numberInRange, oneOf, optionalBoolean, optionalText, textList, invalidOption } from './validate.js';

/** A token configuration that has been checked; secrets are wrapped, so it is safe to log. */
export interface ResolvedTokenConfig {
  readonly protocol: TokenProtocol;
  readonly clientId: string;
  readonly clientAuth: ClientAuthMethod;
  readonly secret?: Secret;
  readonly privateKey?: Secret<string | PrivateJwk | KeyObject>;
  readonly privateKeyAlg?: string;
  readonly privateKeyId?: string;
  readonly appId?: string;
  /** Known up front for MCA and for an explicit `tokenEndpoint`; otherwise discovered from `issuer`. */
  readonly tokenEndpoint?: URL;
  readonly issuer?: URL;
  readonly scope?: string;
  readonly audience?: string;
  readonly resources: readonly string[];
  readonly extraParams: readonly (readonly [string, string])[];
  readonly timeoutMs: number;
  readonly defaultLifetimeSec: number;
  readonly allowInsecureHttp: boolean;
  /** Set with the `dpop` option: the key proofs are signed with, and the nonces servers gave it. */
  readonly dpop?: DpopProver;
  /** Which proxy each token or discovery request goes through. */
  readonly proxy: ProxySetting;
  /** TLS settings of token and discovery requests; the key and passphrase are wrapped. */
  readonly tls: ResolvedTls;
  /**
   * A hash of everything that changes the token, credentials included (see credential-key.ts): it reveals no
   * secret, so it is safe in logs, events and shared-store keys.
   */
  readonly cacheKey: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

/** Parameters we set ourselves; `extraParams` may not override them. */
const RESERVED_PARAMETERS = new Set([
  'grant_type', 'client_id', 'client_secret', 'scope', 'audience', 'resource', 'client_assertion', 'client_assertion_type',
  'subject_token', 'subject_token_type', 'requested_token_type', 'actor_token', 'actor_token_type',
]);

const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = [
  'client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth',
];

/** RFC 8705 §2: the client authenticates with its TLS certificate, not a secret. */
export function isCertificateAuth(method: ClientAuthMethod): boolean {
  return method === 'tls_client_auth' || method === 'self_signed_tls_client_auth';
}

/** The texts MCA_DPOP may hold, and what each turns DPoP to. */
const DPOP_SWITCH_TEXT: ReadonlyMap<string, boolean> = new Map([['true', true], ['1', true], ['false', false], ['0', false]]);

const MAX_TIMEOUT_MS = 600_000;
const MAX_DEFAULT_LIFETIME_SEC = 86_400;

/** Lays explicit options over what VCAP and the environment say, field by field, as the seed did. */
export function withPlatformDefaults(options: TokenOptions, env: Environment): TokenOptions {
  // A null prototype: an option absent here is absent, whatever Object.prototype holds.
  const merged: TokenOptions = Object.assign(Object.create(null) as TokenOptions, defaultsFromPlatform(readVcap(env), env) as TokenOptions);
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  // MCA_DPOP is text; the option is not (below, a string can only be the variable's).
  if (typeof options.dpop === 'string' && !DPOP_SWITCH_TEXT.has(options.dpop)) {
    throw invalidOption('dpop', 'must be true, false or { privateKey, alg }');
  }
  const keyFile = env[DPOP_KEY_FILE_VARIABLE];
  if (options.dpop === undefined && keyFile !== undefined && keyFile.trim() !== '') (merged as TokenOptions).dpop = { privateKey: readDpopKeyFile(keyFile.trim()) };
  return merged;
}

function readDpopKeyFile(path: string): string | PrivateJwk {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new McaError(McaErrorCodes.INVALID_OPTION, `${DPOP_KEY_FILE_VARIABLE} names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  if (!text.trimStart().startsWith('{')) return text;
  try {
    return JSON.parse(text) as PrivateJwk;
  } catch {
    throw new McaError(McaErrorCodes.INVALID_OPTION, `${DPOP_KEY_FILE_VARIABLE} names a file that is neither a PEM key nor a JSON private JWK.`);
  }
}

/**
 * Keys made for one set of options, by the `dpop` value they came from: routes that inherit the same `dpop`
 * share one key (and its nonces), so `dpop: true` makes one key per adapter instance, not one per route.
 */
export type DpopProvers = Map<unknown, DpopProver>;

function dpopOf(value: unknown, provers: DpopProvers): DpopProver | undefined {
  // MCA_DPOP arrives as a string.
  const option = typeof value === 'string' ? DPOP_SWITCH_TEXT.get(value) : value;
  if (option === undefined && typeof value === 'string') throw invalidOption(ENVIRONMENT_VARIABLES.dpop, "must be 'true' or 'false'");
  if (option === undefined || option === false) return undefined;
  let prover = provers.get(option);
  if (prover === undefined) {
    prover = new DpopProver(createDpopKey(option));
    provers.set(option, prover);
  }
  return prover;
}

function missing(code: (typeof McaErrorCodes)[keyof typeof McaErrorCodes], option: string, variable: string): McaError {
  return new McaError(
    code,
    `The option '${option}' is missing: pass it, bind an AdvancedMobileAccess or AppID service (VCAP_SERVICES), or set ${variable}.`,
  );
}

function joinUrlPath(base: URL, ...segments: string[]): URL {
  // One '/' between the parts, whatever slashes the configured server URL ends with (as the seed did).
  const path = base.pathname.replace(/\/+$/, '');
  const joined = new URL(base.href);
  joined.pathname = [path, ...segments.map(encodeURIComponent)].join('/');
  joined.search = '';
  joined.hash = '';
  return joined;
}

function keyOf(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

function extraParameters(value: unknown): [string, string][] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption('extraParams', 'must be an object of string values');
  }
  return Object.keys(value).map((name) => {
    if (RESERVED_PARAMETERS.has(name)) throw invalidOption(`extraParams.${name}`, 'is set by mca-oauth itself');
    const text = optionalText(`extraParams.${name}`, (value as Record<string, unknown>)[name]);
    if (text === undefined) throw invalidOption(`extraParams.${name}`, 'must be a string');
    return [name, text];
  });
}

function privateKeyOf(value: unknown): Secret<string | PrivateJwk | KeyObject> | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || (typeof value === 'object' && value !== null)) {
    return new Secret(value as string | PrivateJwk | KeyObject);
  }
  throw invalidOption('privateKey', 'must be a PEM string, a private JWK or a KeyObject');
}

/** Validates one set of token options (already merged with VCAP and the environment). */
export function resolveTokenConfig(options: TokenOptions, env: Environment = {}, dpopProvers: DpopProvers = new Map()): ResolvedTokenConfig {
  const allowInsecureHttp = optionalBoolean('allowInsecureHttp', options.allowInsecureHttp) ?? false;
  const urlRules = { allowInsecureHttp };
  const explicitEndpoint = httpUrl('tokenEndpoint', options.tokenEndpoint, urlRules);
  const issuer = httpUrl('issuer', options.issuer, urlRules);
  const protocol =
    oneOf<TokenProtocol>('protocol', options.protocol, ['mca', 'oauth2']) ??
    (explicitEndpoint !== undefined || issuer !== undefined ? 'oauth2' : 'mca');

  const clientId = optionalText('clientId', options.clientId);
  const secretText = options.secret === undefined ? undefined : optionalText('secret', options.secret);
  const secret = secretText === undefined ? undefined : new Secret(secretText);
  const privateKey = privateKeyOf(options.privateKey);
  const clientAuth =
    protocol === 'mca'
      ? 'client_secret_basic'
      : (oneOf<ClientAuthMethod>('clientAuth', options.clientAuth, CLIENT_AUTH_METHODS) ??
        (privateKey !== undefined ? 'private_key_jwt' : 'client_secret_basic'));

  const tls = resolveTls(options.tls, env);
  const proxy = resolveProxy(options.proxy, env);

  let appId: string | undefined;
  let tokenEndpoint = explicitEndpoint;
  if (protocol === 'mca') {
    appId = optionalText('appId', options.appId);
    if (appId === undefined) throw missing(McaErrorCodes.MISSING_APPID_ERROR, 'appId', 'MCA_APP_ID');
    if (clientId === undefined) throw missing(McaErrorCodes.MISSING_CLIENTID_ERROR, 'clientId', 'MCA_CLIENT_ID');
    if (secret === undefined) throw missing(McaErrorCodes.MISSING_SECRET_ERROR, 'secret', 'MCA_SECRET');
    const serverUrl = httpUrl('serverUrl', options.serverUrl, urlRules);
    if (serverUrl === undefined) throw missing(McaErrorCodes.MISSING_SERVER_URL_ERROR, 'serverUrl', 'MCA_SERVER_URL');
    tokenEndpoint = joinUrlPath(serverUrl, 'authorization', 'v1', 'apps', appId, 'token');
  } else {
    if (clientId === undefined) throw missing(McaErrorCodes.MISSING_CLIENTID_ERROR, 'clientId', 'MCA_CLIENT_ID');
    if (clientAuth === 'private_key_jwt' && privateKey === undefined) {
      throw invalidOption('privateKey', "is required when clientAuth is 'private_key_jwt'");
    }
    if (isCertificateAuth(clientAuth) && !tls.hasClientCertificate) {
      throw invalidOption('tls', `needs 'cert' and 'key' (or 'pfx'), or MCA_CLIENT_CERT_FILE and MCA_CLIENT_KEY_FILE, when clientAuth is '${clientAuth}'`);
    }
    if (clientAuth !== 'private_key_jwt' && !isCertificateAuth(clientAuth) && secret === undefined) {
      throw missing(McaErrorCodes.MISSING_SECRET_ERROR, 'secret', 'MCA_SECRET');
    }
    if (tokenEndpoint === undefined && issuer === undefined) {
      throw missing(McaErrorCodes.MISSING_SERVER_URL_ERROR, 'tokenEndpoint (or issuer)', 'MCA_TOKEN_ENDPOINT or MCA_ISSUER');
    }
  }

  // RFC 6749 §3.3: scope tokens are separated by spaces.
  const scopes = textList('scope', options.scope, / +/);
  const scope = scopes.length === 0 ? undefined : scopes.join(' ');
  const audience = optionalText('audience', options.audience);
  const resources = textList('resource', options.resource, /[ ,]+/);
  for (const [index, resource] of resources.entries()) {
    // RFC 8707 §2: an absolute URI without a fragment.
    if (!URL.canParse(resource) || resource.includes('#')) {
      throw invalidOption(`resource[${index}]`, 'must be an absolute URI without a fragment (RFC 8707 §2)');
    }
  }
  const extraParams = extraParameters(options.extraParams);
  const timeoutMs = numberInRange('timeoutMs', options.timeoutMs, 10_000, 1, MAX_TIMEOUT_MS);
  const defaultLifetimeSec = numberInRange('defaultLifetimeSec', options.defaultLifetimeSec, 300, 1, MAX_DEFAULT_LIFETIME_SEC);
  const privateKeyAlg = optionalText('privateKeyAlg', options.privateKeyAlg);
  const privateKeyId = optionalText('privateKeyId', options.privateKeyId);
  const dpop = dpopOf(options.dpop, dpopProvers);

  const certificatePart = clientCertificateKeyPart(tls);
  const identity = [protocol, tokenEndpoint?.href ?? null, issuer?.href ?? null, clientId];
  const cacheKey = keyOf([
    credentialDigest({ secret, privateKey }, identity),
    protocol,
    tokenEndpoint?.href ?? null,
    issuer?.href ?? null,
    clientId,
    clientAuth,
    [...scopes].sort(),
    audience ?? null,
    [...resources].sort(),
    [...extraParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ...(certificatePart === null ? [] : [certificatePart]),
    // RFC 9449 §6: a DPoP token is bound to one key; another key cannot use it (and a Bearer key stays unchanged).
    ...(dpop === undefined ? [] : [`dpop:${dpop.thumbprint}`]),
  ]);

  return {
    protocol,
    clientId,
    clientAuth,
    ...(secret !== undefined && { secret }),
    ...(privateKey !== undefined && { privateKey }),
    ...(privateKeyAlg !== undefined && { privateKeyAlg }),
    ...(privateKeyId !== undefined && { privateKeyId }),
    ...(appId !== undefined && { appId }),
    ...(tokenEndpoint !== undefined && { tokenEndpoint }),
    ...(issuer !== undefined && { issuer }),
    ...(scope !== undefined && { scope }),
    ...(audience !== undefined && { audience }),
    resources,
    extraParams,
    timeoutMs,
    defaultLifetimeSec,
    allowInsecureHttp,
    proxy,
    tls,
    ...(dpop !== undefined && { dpop }),
    cacheKey,
  };
}
