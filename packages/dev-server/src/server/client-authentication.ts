/** Token-endpoint client authentication: Basic (raw MCA and RFC 6749 forms), POST, private_key_jwt. */
import type { IncomingHttpHeaders } from 'node:http';
import { decodeJwt } from 'jose';
import { ClientRegistry, type RegisteredClient } from './clients.js';
import type { ClientAssertionVerifier } from './client-assertion.js';
import { JWT_BEARER_ASSERTION_TYPE } from './client-assertion.js';
import { BASIC_CHALLENGE, OAuthErrorResponse } from './oauth-error.js';
import type { PeerCertificate } from '../tls/peer-certificate.js';

export type ClientAuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'private_key_jwt'
  | 'tls_client_auth'
  | 'self_signed_tls_client_auth';

export interface ClientAuthContext {
  clients: ClientRegistry;
  assertions: ClientAssertionVerifier;
  /** Methods this endpoint accepts (the MCA endpoint only spoke Basic). */
  methods: ReadonlySet<ClientAuthMethod>;
  /** Acceptable `aud` of a client assertion. */
  assertionAudiences: string[];
}

export interface AuthenticatedClient {
  client: RegisteredClient;
  method: ClientAuthMethod;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** RFC 6749 Appendix B: form-urlencoding, where `+` is a space. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

function basicFailure(description: string): OAuthErrorResponse {
  // RFC 6749 §5.2: after a failed Basic attempt, 401 with a WWW-Authenticate matching the scheme.
  return new OAuthErrorResponse(401, 'invalid_client', description, BASIC_CHALLENGE);
}

/** Decodes Basic credentials; returns [id, secret] or undefined when malformed. */
function decodeBasic(header: string): [string, string] | undefined {
  const encoded = header.slice(6).trim();
  if (!BASE64.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

function authenticateBasic(ctx: ClientAuthContext, header: string): AuthenticatedClient {
  const pair = decodeBasic(header);
  if (!pair) throw basicFailure('malformed Basic credentials');
  // The old MCA SDK sent base64(id:secret) raw; RFC 6749 §2.3.1 form-encodes each part first.
  // Try raw, then decoded, so both kinds of client work against the same server.
  const candidates: [string, string][] = [pair];
  const id = formDecode(pair[0]);
  const secret = formDecode(pair[1]);
  if (id !== undefined && secret !== undefined && (id !== pair[0] || secret !== pair[1])) candidates.push([id, secret]);
  for (const [candidateId, candidateSecret] of candidates) {
    const client = ctx.clients.get(candidateId);
    if (client && ClientRegistry.secretMatches(client, candidateSecret)) return { client, method: 'client_secret_basic' };
  }
  throw basicFailure('client authentication failed');
}

/**
 * The client id a request claims, before any check: what the counters file a request under, even
 * one that fails authentication or meets a fault.
 */
export function claimedClientId(headers: IncomingHttpHeaders, form: URLSearchParams): string {
  const header = headers.authorization;
  if (header !== undefined && /^basic /i.test(header)) {
    const id = decodeBasic(header)?.[0];
    return id === undefined ? '(malformed)' : (formDecode(id) ?? id);
  }
  const id = form.get('client_id');
  if (id) return id;
  const assertion = form.get('client_assertion');
  if (assertion) {
    try {
      const iss = decodeJwt(assertion).iss;
      if (iss) return iss;
    } catch {
      // Counted under "(anonymous)"; authentication reports the error.
    }
  }
  return '(anonymous)';
}

/** Authenticates the client of a token request or throws the OAuth error to answer. */
export async function authenticateClient(
  ctx: ClientAuthContext,
  headers: IncomingHttpHeaders,
  form: URLSearchParams,
  peer?: PeerCertificate,
): Promise<AuthenticatedClient> {
  const header = headers.authorization;
  const hasSecret = form.has('client_secret');
  const hasAssertion = form.has('client_assertion') || form.has('client_assertion_type');

  // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
  if ((header !== undefined ? 1 : 0) + (hasSecret ? 1 : 0) + (hasAssertion ? 1 : 0) > 1) {
    throw new OAuthErrorResponse(400, 'invalid_request', 'more than one client authentication method used');
  }

  if (header !== undefined) {
    if (!/^basic /i.test(header) || !ctx.methods.has('client_secret_basic')) {
      throw basicFailure('unsupported Authorization scheme; use Basic');
    }
    const result = authenticateBasic(ctx, header);
    const bodyId = form.get('client_id');
    if (bodyId !== null && bodyId !== result.client.config.id) {
      throw new OAuthErrorResponse(400, 'invalid_request', 'client_id does not match the authenticated client');
    }
    return result;
  }

  if (hasAssertion) {
    if (!ctx.methods.has('private_key_jwt')) throw new OAuthErrorResponse(401, 'invalid_client', 'private_key_jwt is not supported here');
    if (form.get('client_assertion_type') !== JWT_BEARER_ASSERTION_TYPE) {
      throw new OAuthErrorResponse(400, 'invalid_request', `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`);
    }
    const assertion = form.get('client_assertion');
    if (!assertion) throw new OAuthErrorResponse(400, 'invalid_request', 'client_assertion is missing');
    const client = await ctx.assertions.verify(ctx.clients, assertion, form.get('client_id'), ctx.assertionAudiences);
    return { client, method: 'private_key_jwt' };
  }

  if (hasSecret) {
    if (!ctx.methods.has('client_secret_post')) throw new OAuthErrorResponse(401, 'invalid_client', 'client_secret_post is not supported here');
    const id = form.get('client_id');
    if (!id) throw new OAuthErrorResponse(400, 'invalid_request', 'client_id is missing');
    const client = ctx.clients.get(id);
    if (!client || !ClientRegistry.secretMatches(client, form.get('client_secret') ?? '')) {
      throw new OAuthErrorResponse(401, 'invalid_client', 'client authentication failed');
    }
    return { client, method: 'client_secret_post' };
  }

  if (peer !== undefined && form.has('client_id') && (ctx.methods.has('tls_client_auth') || ctx.methods.has('self_signed_tls_client_auth'))) {
    return authenticateCertificate(ctx, form.get('client_id') as string, peer);
  }

  throw new OAuthErrorResponse(401, 'invalid_client', 'client authentication is required');
}

/** RFC 8705 §2: the connection's certificate authenticates the client that `client_id` names. */
function authenticateCertificate(ctx: ClientAuthContext, id: string, peer: PeerCertificate): AuthenticatedClient {
  const client = ctx.clients.get(id);
  const failed = (): OAuthErrorResponse => new OAuthErrorResponse(401, 'invalid_client', 'the client certificate does not authenticate this client');
  if (client === undefined) throw failed();
  if (client.selfSignedThumbprint !== undefined && client.selfSignedThumbprint === peer.thumbprint) {
    return { client, method: 'self_signed_tls_client_auth' };
  }
  const subject = client.config.tlsClientAuthSubject;
  // §2.1.2: the certificate chains to a trusted CA and names the registered subject.
  if (subject !== undefined && peer.issuedByServerCa && peer.certificate.subject.split('\n').includes(`CN=${subject}`)) {
    return { client, method: 'tls_client_auth' };
  }
  throw failed();
}
