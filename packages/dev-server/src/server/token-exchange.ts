/**
 * The token-exchange grant (RFC 8693 §2): the dev server accepts subject tokens it issued itself (signature,
 * `iss`, `exp`, and an `aud` it allows) and mints a token for the subject's `sub`, acting as the client
 * (`act: { sub: <client id> }`, RFC 8693 §4.1) for the requested audience.
 */
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { RegisteredClient } from './clients.js';
import type { ExchangeController } from './exchange-controller.js';
import { OAuthErrorResponse } from './oauth-error.js';
import { confirmationOf, signClaims, type Grant } from './sign-token.js';
import type { SigningKey } from './keys.js';
import { grantAudience, grantScopes } from './token-request.js';

export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** RFC 8693 §3: subject tokens the dev server takes (both are its own JWT access tokens). */
const SUBJECT_TOKEN_TYPES = new Set([ACCESS_TOKEN_TYPE, 'urn:ietf:params:oauth:token-type:jwt']);

export interface ExchangeContext {
  readonly issuer: string;
  readonly jwks: JSONWebKeySet;
  readonly signingKey: SigningKey;
  readonly defaultAudience: string;
  readonly exchange: ExchangeController;
  readonly tokenTtl: number;
}

export interface ExchangedToken {
  readonly body: { access_token: string; issued_token_type: string; token_type: 'Bearer' | 'DPoP'; expires_in: number; scope?: string };
  readonly subject: string;
}

const keySets = new WeakMap<JSONWebKeySet, ReturnType<typeof createLocalJWKSet>>();

async function verifySubject(ctx: ExchangeContext, token: string): Promise<JWTPayload> {
  let keys = keySets.get(ctx.jwks);
  if (keys === undefined) keySets.set(ctx.jwks, (keys = createLocalJWKSet(ctx.jwks)));
  try {
    const { payload } = await jwtVerify(token, keys, { issuer: ctx.issuer, audience: [...ctx.exchange.subjectAudiences] });
    return payload;
  } catch {
    // Never the token, nor jose's text about it.
    throw new OAuthErrorResponse(400, 'invalid_grant', 'the subject_token is not a valid, unexpired token of this server for an allowed audience');
  }
}

/** What the exchanged token is bound to, as for client credentials: the request's DPoP key, the client's certificate. */
export type ExchangeBinding = Pick<Grant, 'jkt' | 'certificateThumbprint'>;

/**
 * Decides and signs the answer to a token-exchange request, or throws an OAuthErrorResponse (RFC 8693 §2.2.2). The
 * issued token is bound as a client-credentials token would be (RFC 9449 §5 `cnf.jkt` and `token_type: DPoP`;
 * RFC 8705 §3 `cnf.x5t#S256`).
 */
export async function exchangeToken(ctx: ExchangeContext, form: URLSearchParams, client: RegisteredClient, binding: ExchangeBinding = {}): Promise<ExchangedToken> {
  const subjectToken = form.get('subject_token');
  const subjectType = form.get('subject_token_type');
  if (!subjectToken) throw new OAuthErrorResponse(400, 'invalid_request', 'subject_token is missing');
  if (!subjectType) throw new OAuthErrorResponse(400, 'invalid_request', 'subject_token_type is missing');
  if (!SUBJECT_TOKEN_TYPES.has(subjectType)) throw new OAuthErrorResponse(400, 'invalid_request', 'subject_token_type is not supported');
  if (form.has('actor_token')) throw new OAuthErrorResponse(400, 'invalid_request', 'actor_token is not supported');
  const requested = form.get('requested_token_type');
  if (requested !== null && requested !== ACCESS_TOKEN_TYPE) {
    throw new OAuthErrorResponse(400, 'invalid_request', 'only access tokens can be requested');
  }
  const payload = await verifySubject(ctx, subjectToken);
  const subject = typeof payload.sub === 'string' ? payload.sub : undefined;
  if (subject === undefined) throw new OAuthErrorResponse(400, 'invalid_grant', 'the subject_token has no sub');
  ctx.exchange.count(subject);
  if (ctx.exchange.isRefused(subject)) throw new OAuthErrorResponse(400, 'invalid_grant', 'the subject is refused');
  const scopes = grantScopes(form, client);
  const audience = grantAudience(form, client, ctx.defaultAudience);
  const now = Date.now() / 1000;
  const claims: JWTPayload = {
    iss: ctx.issuer,
    sub: subject,
    aud: audience.length === 1 ? audience[0] : audience,
    iat: Math.floor(now),
    // Not capped at the subject's exp, on purpose: tests prove that the client caps it.
    exp: Math.ceil(now) + ctx.tokenTtl,
    jti: crypto.randomUUID(),
    client_id: client.config.id,
    act: { sub: client.config.id },
    ...(scopes.length > 0 && { scope: scopes.join(' ') }),
  };
  const cnf = confirmationOf(binding);
  if (cnf !== undefined) claims['cnf'] = cnf;
  const accessToken = await signClaims(ctx.signingKey, claims);
  return {
    subject,
    body: {
      access_token: accessToken,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: binding.jkt === undefined ? 'Bearer' : 'DPoP',
      expires_in: ctx.tokenTtl,
      ...(scopes.length > 0 && { scope: scopes.join(' ') }),
    },
  };
}
