/** The token endpoints of both protocols: one flow, two dialects. */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../lib/read-body.js';
import { requestUrl } from '../lib/request-url.js';
import { sendText, splitUrl } from '../lib/send.js';
import { authenticateClient, claimedClientId } from './client-authentication.js';
import type { ServerContext } from './context.js';
import { applyFault, malformTokenBody, type TokenBody } from './fault-response.js';
import type { MalformedBody } from './faults.js';
import { OAuthErrorResponse, sendOAuthError } from './oauth-error.js';
import { signAccessToken } from './sign-token.js';
import { checkGrantType, checkTokenForm, grantAudience, grantScopes } from './token-request.js';
import { statsKey } from './token-stats.js';
import { peerCertificateOf } from '../tls/peer-certificate.js';
import type { ClientAuthContext } from './client-authentication.js';
import { exchangeToken, TOKEN_EXCHANGE_GRANT_TYPE } from './token-exchange.js';

const OAUTH_GRANT_TYPES = ['client_credentials', TOKEN_EXCHANGE_GRANT_TYPE] as const;

/** A token request is a few hundred bytes; a private_key_jwt assertion about one kilobyte. */
const FORM_LIMIT = 64 * 1024;

/** RFC 6749 §5.1: token answers must not be cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

function sendToken(res: ServerResponse, body: TokenBody, malformed: MalformedBody | undefined, dpopNonce: string | undefined): void {
  const headers: OutgoingHttpHeaders = dpopNonce === undefined ? NO_STORE : { ...NO_STORE, 'dpop-nonce': dpopNonce };
  if (malformed === undefined) {
    sendText(res, 200, JSON.stringify(body), 'application/json', headers);
  } else {
    const { text, contentType } = malformTokenBody(body, malformed);
    sendText(res, 200, text, contentType, headers);
  }
}

/**
 * RFC 9449 §5: a request with a `DPoP` header gets a token bound to the proof's key, or a 400
 * `invalid_dpop_proof` / `use_dpop_nonce`. Checked before client authentication, so a nonce
 * round trip does not spend a `private_key_jwt` assertion's `jti`. Undefined: no proof, Bearer.
 */
async function checkDpop(ctx: ServerContext, req: IncomingMessage): Promise<{ jkt: string; nonce?: string } | undefined> {
  if (req.headers.dpop === undefined) return undefined;
  const url = requestUrl(req, splitUrl(req.url).path, ctx.issuer);
  const proof = await ctx.dpop.check({ proof: req.headers.dpop, method: 'POST', url });
  if (!proof.ok) throw new OAuthErrorResponse(400, proof.error, proof.description, undefined, proof.nonce);
  return proof.nonce === undefined ? { jkt: proof.jkt } : { jkt: proof.jkt, nonce: proof.nonce };
}

/**
 * Serves `POST /oauth2/token` (no `tenantId`) or `POST /authorization/v1/apps/{tenantId}/token`.
 * Order: read the body, count it, apply a fault, then check form, client, grant, scope, audience.
 */
export async function handleTokenRequest(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  tenantId?: string,
  auth: ClientAuthContext = tenantId === undefined ? ctx.oauthAuth : ctx.mcaAuth,
): Promise<void> {
  const protocol = tenantId === undefined ? 'oauth' : 'mca';
  if (req.method !== 'POST') {
    const id = claimedClientId(req.headers, new URLSearchParams());
    ctx.stats.record(protocol, id, statsKey({ clientId: id }), 'failure');
    res.setHeader('allow', 'POST');
    sendOAuthError(res, new OAuthErrorResponse(405, 'invalid_request', 'the token endpoint takes POST'));
    return;
  }

  let body: string;
  try {
    body = await readBody(req, FORM_LIMIT);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) return; // The client went away mid-body.
    const id = claimedClientId(req.headers, new URLSearchParams());
    ctx.stats.record(protocol, id, statsKey({ clientId: id }), 'failure');
    sendOAuthError(res, new OAuthErrorResponse(400, 'invalid_request', `the form body exceeds ${FORM_LIMIT} bytes`));
    return;
  }

  const form = new URLSearchParams(body);
  const clientId = claimedClientId(req.headers, form);
  const key = statsKey({
    clientId,
    scope: form.get('scope') ?? '',
    audience: tenantId === undefined ? form.getAll('audience') : [tenantId],
    resource: form.getAll('resource'),
  });

  let malformed: MalformedBody | undefined;
  const fault = ctx.faults.take(protocol === 'oauth' ? 'oauth-token' : 'mca-token');
  if (fault) {
    const outcome = await applyFault(fault, req, res);
    if (outcome.answered) {
      ctx.stats.record(protocol, clientId, key, 'fault');
      return;
    }
    malformed = outcome.malformed;
    if (outcome.demandDpopNonce) {
      ctx.stats.record(protocol, clientId, key, 'fault');
      const nonce = ctx.dpop.rotateNonce();
      sendOAuthError(res, new OAuthErrorResponse(400, 'use_dpop_nonce', 'a DPoP nonce is required: resend with the one in DPoP-Nonce', undefined, nonce));
      return;
    }
  }

  try {
    checkTokenForm(req.headers, body, form);
    const dpop = await checkDpop(ctx, req);
    const peer = peerCertificateOf(req);
    const { client, method } = await authenticateClient(auth, req.headers, form, peer);
    // RFC 8705 §3: a client that authenticated with its certificate gets a token bound to it.
    const certificateThumbprint = method === 'tls_client_auth' || method === 'self_signed_tls_client_auth' ? peer?.thumbprint : undefined;
    const grantType = checkGrantType(form, protocol === 'oauth' ? OAUTH_GRANT_TYPES : undefined);
    if (grantType === TOKEN_EXCHANGE_GRANT_TYPE) {
      if (ctx.exchange.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, ctx.exchange.latencyMs));
      const binding = { ...(dpop !== undefined && { jkt: dpop.jkt }), ...(certificateThumbprint !== undefined && { certificateThumbprint }) };
      const exchanged = await exchangeToken({ ...ctx, signingKey: ctx.keys.oauth, jwks: ctx.keys.jwks }, form, client, binding);
      if (res.destroyed) return;
      ctx.stats.record(protocol, clientId, key, malformed === undefined ? 'success' : 'fault');
      sendToken(res, exchanged.body, malformed, dpop?.nonce);
      return;
    }
    const scopes = grantScopes(form, client);
    const audience = tenantId === undefined ? grantAudience(form, client, ctx.defaultAudience) : [tenantId];
    const ttl = ctx.tokenTtl;
    const signingKey = protocol === 'oauth' ? ctx.keys.oauth : ctx.keys.rsa;
    const grant = {
      clientId: client.config.id,
      scopes,
      audience,
      ...(dpop ? { jkt: dpop.jkt } : {}),
      ...(certificateThumbprint !== undefined && { certificateThumbprint }),
    };
    const accessToken = await signAccessToken(signingKey, protocol, ctx.issuer, grant, ttl);
    // RFC 9449 §5: a DPoP-bound token is announced as such, so a client cannot mistake it for Bearer.
    const answer: TokenBody = { access_token: accessToken, token_type: dpop ? 'DPoP' : 'Bearer', expires_in: ttl };
    // RFC 6749 §5.1: scope is echoed when it may differ from the request; always is simplest.
    if (protocol === 'oauth' && scopes.length > 0) answer.scope = scopes.join(' ');
    if (res.destroyed) return;
    ctx.stats.record(protocol, clientId, key, malformed === undefined ? 'success' : 'fault');
    sendToken(res, answer, malformed, dpop?.nonce);
  } catch (error) {
    if (!(error instanceof OAuthErrorResponse)) throw error;
    ctx.stats.record(protocol, clientId, key, 'failure');
    sendOAuthError(res, error);
  }
}
