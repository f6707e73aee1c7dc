/** The GET documents: RFC 8414 / OpenID discovery, the JWKS, and the MCA public key. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendText } from '../lib/send.js';
import type { ServerContext } from './context.js';
import { PATHS } from './defaults.js';
import { applyFault, malformDocument } from './fault-response.js';

/** Every algorithm jose verifies for an asymmetric client key (RFC 8414 §2). */
const ASSERTION_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** RFC 8414 §2 metadata. response_types_supported is required but empty: there is no authorization endpoint. */
export function oauthMetadata(ctx: ServerContext, jwksUri: string): Record<string, unknown> {
  return {
    issuer: ctx.issuer,
    token_endpoint: ctx.tokenEndpoint,
    jwks_uri: jwksUri,
    grant_types_supported: ['client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    // RFC 9449 §5.1: announcing DPoP support is what tells a client it may send proofs.
    dpop_signing_alg_values_supported: ctx.dpop.algorithms,
    response_types_supported: [],
    ...(ctx.mtlsTokenEndpoint !== undefined && {
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'],
      mtls_endpoint_aliases: { token_endpoint: ctx.mtlsTokenEndpoint },
      tls_client_certificate_bound_access_tokens: true,
    }),
  };
}

/**
 * OpenID Connect Discovery 1.0 §3 adds two required fields. This server issues no ID tokens;
 * the values only keep strict parsers happy.
 */
export function openidConfiguration(ctx: ServerContext, jwksUri: string): Record<string, unknown> {
  return { ...oauthMetadata(ctx, jwksUri), subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'] };
}

/** Serves a document (JSON object), counted and subject to faults of its endpoint. */
export async function serveDocument(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  kind: 'discovery' | 'jwks',
  doc: Record<string, unknown>,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendJson(res, 405, { error: 'invalid_request', error_description: 'use GET' });
    return;
  }
  if (kind === 'discovery') ctx.stats.recordDiscovery();
  else ctx.stats.recordJwks();
  const fault = ctx.faults.take(kind);
  if (fault) {
    const outcome = await applyFault(fault, req, res);
    if (outcome.answered) return;
    if (outcome.malformed !== undefined) {
      const { text, contentType } = malformDocument(doc, outcome.malformed);
      sendText(res, 200, text, contentType);
      return;
    }
  }
  sendJson(res, 200, doc);
}

/** Splits `/authorization/v1/apps/{tenantId}/{token|publickey}`; undefined when it is not that. */
export function parseMcaPath(path: string): { tenantId: string; action: 'token' | 'publickey' } | undefined {
  const rest = path.slice(PATHS.mcaPrefix.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const action = rest.slice(slash + 1);
  if (action !== 'token' && action !== 'publickey') return undefined;
  try {
    const tenantId = decodeURIComponent(rest.slice(0, slash));
    return tenantId === '' ? undefined : { tenantId, action };
  } catch {
    return undefined;
  }
}
