/** Token-endpoint error answers (RFC 6749 §5.2). */
import type { ServerResponse } from 'node:http';
import { sendJson } from '../lib/send.js';

/** RFC 6749 §5.2 codes, plus RFC 8707 §2's invalid_target and RFC 9449 §5.2, §8's DPoP errors. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce';

/** A decided error answer; thrown inside a route and written by `sendOAuthError`. */
export class OAuthErrorResponse extends Error {
  constructor(
    readonly status: number,
    readonly error: OAuthErrorCode,
    readonly description: string,
    /** RFC 6749 §5.2: a 401 after Basic authentication MUST carry `WWW-Authenticate`. */
    readonly wwwAuthenticate?: string,
    /** RFC 9449 §8: the nonce a `use_dpop_nonce` answer hands the client. */
    readonly dpopNonce?: string,
  ) {
    super(`${error}: ${description}`);
  }
}

/** The realm announced in `WWW-Authenticate: Basic` challenges. */
export const BASIC_CHALLENGE = 'Basic realm="mca-oauth-dev-server", charset="UTF-8"';

/** Writes the error; `no-store` as for any token-endpoint answer (RFC 6749 §5.1). */
export function sendOAuthError(res: ServerResponse, e: OAuthErrorResponse): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', pragma: 'no-cache' };
  if (e.wwwAuthenticate) headers['www-authenticate'] = e.wwwAuthenticate;
  if (e.dpopNonce) headers['dpop-nonce'] = e.dpopNonce;
  sendJson(res, e.status, { error: e.error, error_description: e.description }, headers);
}
