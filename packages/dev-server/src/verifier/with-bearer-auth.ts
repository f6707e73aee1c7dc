/** `withBearerAuth`: wraps a node:http request listener so only requests with a valid token reach it. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestUrl } from '../lib/request-url.js';
import { splitUrl } from '../lib/send.js';
import type { DpopRequest, TokenVerifier, VerificationResult } from './create-token-verifier.js';
import { certificateBindingProblem } from './certificate-binding.js';
import { bearerChallenge } from './www-authenticate.js';

/** A request listener that also receives the verified token. */
export type AuthenticatedHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  auth: Extract<VerificationResult, { ok: true }>,
) => void | Promise<void>;

/** Writes a rejection: status, `WWW-Authenticate` (401/403), and a small JSON body naming the error. */
export function sendBearerRejection(res: ServerResponse, result: Extract<VerificationResult, { ok: false }>): void {
  const body = JSON.stringify({ error: result.error ?? 'unauthorized', error_description: result.description });
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  // RFC 6750 §3 challenges belong to 401 and 403; a 503 is about us, not the client's token.
  if (result.status !== 503) headers['www-authenticate'] = result.wwwAuthenticate;
  if (result.dpopNonce !== undefined) headers['dpop-nonce'] = result.dpopNonce;
  res.writeHead(result.status, headers);
  res.end(body);
}

/** What a DPoP proof sent with `req` must match; `base` stands in for a missing `Host`. */
export function dpopRequestOf(req: IncomingMessage, base = 'http://localhost'): DpopRequest {
  return { proof: req.headers.dpop, method: req.method ?? 'GET', url: requestUrl(req, splitUrl(req.url).path, base) };
}

/**
 * Returns a listener for `http.createServer` that verifies `Authorization` and answers 401/403
 * itself, calling `handler` only for accepted requests. An exception in `handler` becomes a 500.
 */
export function withBearerAuth(
  verifier: TokenVerifier,
  handler: AuthenticatedHandler,
  options?: { requiredScopes?: readonly string[] },
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    verifier
      .verify(req.headers.authorization, { ...options, dpop: dpopRequestOf(req) })
      .then((result) => {
        if (!result.ok) return sendBearerRejection(res, result);
        // RFC 8705 §3: a certificate-bound token is only good from a connection with that certificate.
        const problem = certificateBindingProblem(req, result.payload);
        if (problem !== undefined) {
          return sendBearerRejection(res, { ok: false, status: 401, error: 'invalid_token', description: problem, wwwAuthenticate: bearerChallenge('mca-oauth-dev', 'invalid_token', problem) });
        }
        // RFC 9449 §9: a fresh nonce may ride on any answer, success included.
        if (result.dpopNonce !== undefined) res.setHeader('dpop-nonce', result.dpopNonce);
        return handler(req, res, result);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
  };
}
