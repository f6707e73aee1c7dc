/** Finds a token endpoint from an issuer: RFC 8414 metadata first, then OpenID Connect Discovery 1.0. */
import { McaError, McaErrorCodes, isMcaError } from '../errors/index.js';
import { send, DEFAULT_MAX_RESPONSE_BYTES } from '../http/send.js';
import type { NetworkSettings } from '../http/private-agents.js';
import { isLoopbackHostname } from '../matching/index.js';

export interface DiscoveredMetadata {
  readonly issuer: string;
  readonly tokenEndpoint: URL;
}

export interface DiscoveryOptions {
  readonly timeoutMs: number;
  readonly allowInsecureHttp: boolean;
  readonly signal?: AbortSignal;
  readonly network?: NetworkSettings;
  /** The client authenticates with a certificate: take `mtls_endpoint_aliases.token_endpoint` when present (RFC 8705 §5). */
  readonly mtls?: boolean;
}

/** RFC 8414 §3.1: the well-known segment goes between the host and the issuer's path. */
function oauthMetadataUrl(issuer: URL): URL {
  const path = issuer.pathname.replace(/\/+$/, '');
  return new URL(`/.well-known/oauth-authorization-server${path}`, issuer.origin);
}

/** OpenID Connect Discovery 1.0 §4: the well-known segment is appended to the issuer. */
function openIdMetadataUrl(issuer: URL): URL {
  const path = issuer.pathname.replace(/\/+$/, '');
  return new URL(`${path}/.well-known/openid-configuration`, issuer.origin);
}

function failed(issuer: URL, problem: string, cause?: unknown, status?: number): McaError {
  return new McaError(McaErrorCodes.DISCOVERY_FAILED, `Discovery for issuer ${issuer.href} failed: ${problem}.`, {
    ...(cause !== undefined && { cause }),
    ...(status !== undefined && { status }),
  });
}

/** RFC 8414 §3.3: the document's issuer must be identical to the one we asked about. */
function sameIssuer(documentIssuer: string, issuer: URL): boolean {
  return documentIssuer === issuer.href || (issuer.pathname === '/' && documentIssuer === issuer.origin);
}

async function fetchDocument(url: URL, issuer: URL, options: DiscoveryOptions): Promise<Record<string, unknown> | undefined> {
  let exchange;
  try {
    exchange = await send(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      timeoutMs: options.timeoutMs,
      maxBytes: DEFAULT_MAX_RESPONSE_BYTES,
      purpose: 'discovery request',
      ...(options.network !== undefined && { network: options.network }),
      ...(options.signal !== undefined && { signal: options.signal }),
    });
  } catch (error) {
    if (isMcaError(error) && error.code === McaErrorCodes.ABORTED) throw error;
    throw failed(issuer, `${url.href} could not be read (${isMcaError(error) ? error.code : 'error'})`, error);
  }
  if (exchange.status === 404 || exchange.status === 410) return undefined;
  if (exchange.status < 200 || exchange.status > 299) {
    throw failed(issuer, `${url.href} answered HTTP ${exchange.status}`, undefined, exchange.status);
  }
  let json: unknown;
  try {
    json = JSON.parse(exchange.body.toString('utf8'));
  } catch {
    throw failed(issuer, `${url.href} is not JSON`, undefined, exchange.status);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw failed(issuer, `${url.href} is not a JSON object`, undefined, exchange.status);
  }
  return json as Record<string, unknown>;
}

function checkMetadata(document: Record<string, unknown>, issuer: URL, options: DiscoveryOptions): DiscoveredMetadata {
  const documentIssuer = document['issuer'];
  if (typeof documentIssuer !== 'string' || !sameIssuer(documentIssuer, issuer)) {
    throw failed(issuer, `the document's issuer does not match the configured issuer (RFC 8414 §3.3)`);
  }
  const aliases = document['mtls_endpoint_aliases'];
  const alias = options.mtls === true && typeof aliases === 'object' && aliases !== null ? (aliases as Record<string, unknown>)['token_endpoint'] : undefined;
  const endpoint = alias ?? document['token_endpoint'];
  const field = alias === undefined ? 'token_endpoint' : 'mtls_endpoint_aliases.token_endpoint';
  if (typeof endpoint !== 'string' || !URL.canParse(endpoint)) {
    throw failed(issuer, `the document has no valid ${field}`);
  }
  const tokenEndpoint = new URL(endpoint);
  const secure = tokenEndpoint.protocol === 'https:' || (tokenEndpoint.protocol === 'http:' && (options.allowInsecureHttp || isLoopbackHostname(tokenEndpoint.hostname)));
  if (!secure || tokenEndpoint.username !== '' || tokenEndpoint.password !== '') {
    throw failed(issuer, `the ${field} is not an https URL`);
  }
  return { issuer: documentIssuer, tokenEndpoint };
}

export async function discover(issuer: URL, options: DiscoveryOptions): Promise<DiscoveredMetadata> {
  const document = (await fetchDocument(oauthMetadataUrl(issuer), issuer, options)) ?? (await fetchDocument(openIdMetadataUrl(issuer), issuer, options));
  if (document === undefined) throw failed(issuer, 'neither the RFC 8414 nor the OpenID Connect metadata document exists', undefined, 404);
  return checkMetadata(document, issuer, options);
}
