/** `startProtectedApi`: a tiny API behind the verifier, with echo, redirect and 401-on-demand routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONWebKeySet } from 'jose';
import { invalidArg } from '../lib/invalid-arg.js';
import { closeServer, listenOnLoopback } from '../lib/listen.js';
import { sendJson, splitUrl } from '../lib/send.js';
import { DEFAULT_AUDIENCE, DEFAULT_TENANT_ID } from '../server/defaults.js';
import { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from '../verifier/create-token-verifier.js';
import type { DpopControl } from '../dpop/proof-checker.js';
import type { DpopStats } from '../dpop/dpop-stats.js';
import { dpopRequestOf, sendBearerRejection } from '../verifier/with-bearer-auth.js';
import { bearerChallenge } from '../verifier/www-authenticate.js';
import { sendEcho } from './echo.js';
import { createCertificateAuthority, type CertificateAuthority } from '../tls/certificates.js';
import { createLoopbackServer } from '../tls/loopback-server.js';
import { certificateBindingProblem } from '../verifier/certificate-binding.js';
import { ReceivedLog } from './received-log.js';

export interface ProtectedApiOptions extends Omit<TokenVerifierOptions, 'audience' | 'server'> {
  /** The dev server whose tokens to accept (its keys are read locally, its issuer required). */
  server?: { readonly jwks: JSONWebKeySet; readonly issuer: string; readonly defaultAudience?: string; readonly certificateAuthority?: CertificateAuthority };
  /**
   * Accepted `aud` values. Default: the server's default audience and `DEFAULT_TENANT_ID`, so
   * OAuth tokens requested without audience and MCA tokens of the default tenant both pass.
   */
  audience?: string | readonly string[];
  /** Port on 127.0.0.1. Default: 0, any free port. */
  port?: number;
  /** Entries kept per path in `received`. Default: 100. */
  receivedLogSize?: number;
  /**
   * Serve https, asking each client for its certificate, so that certificate-bound tokens (RFC 8705 §3) can be
   * checked: `true` takes a certificate from the `server`'s CA (or a new CA), or pass a CA. A token whose
   * `cnf.x5t#S256` does not name the connection's certificate gets `401 invalid_token`. Default: false.
   */
  https?: boolean | CertificateAuthority;
}

/** Requests the API answered with its resource (`accepted`) or with 401/403 (`rejected`). */
export interface ProtectedApiStats {
  readonly accepted: number;
  readonly rejected: number;
  /** DPoP proofs accepted, and refused by reason (`dpop.rejectedFor('ath')`, `dpop.snapshot()`). */
  readonly dpop: DpopStats;
  /** Resets every counter, DPoP ones included. */
  reset(): void;
}

export interface ProtectedApi {
  /** Base URL, e.g. `http://127.0.0.1:53818`. */
  readonly url: string;
  /** https only: the PEM of the CA that issued the API's certificate. */
  readonly ca?: string;
  /** The verifier in front of `/api/*`, with its own counters. */
  readonly verifier: TokenVerifier;
  readonly stats: ProtectedApiStats;
  /** DPoP switches: `requireNonce`, `nonceRotation`, `rotateNonce()` (the API's own nonce, RFC 9449 §9). */
  readonly dpop: DpopControl;
  /** What arrived, per path (bounded). */
  readonly received: ReceivedLog;
  /** The next `n` protected requests get 401 invalid_token even with a valid token. */
  rejectNext(n: number): void;
  /** Resolves once every socket is closed. */
  close(): Promise<void>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function redirect(res: ServerResponse, query: string): void {
  const params = new URLSearchParams(query);
  const to = params.get('to');
  const status = Number(params.get('status') ?? 302);
  if (!to) return sendJson(res, 400, { error: 'invalid_request', error_description: 'to is required' });
  if (!REDIRECT_STATUSES.has(status)) return sendJson(res, 400, { error: 'invalid_request', error_description: 'status must be 301, 302, 303, 307 or 308' });
  res.writeHead(status, { location: to, 'content-length': 0 }).end();
}

/**
 * Starts the API. Routes:
 * - `/api/redirect?to=<url>&status=302`: unprotected, so a client follows it whatever its token.
 * - `/api/unauthorized`: always 401 `invalid_token`.
 * - any other `/api/*` (e.g. `GET|POST /api/echo`): protected echo of the request and token claims.
 * - `/public/*` (e.g. `/public/echo`): unprotected echo.
 */
export async function startProtectedApi(options: ProtectedApiOptions = {}): Promise<ProtectedApi> {
  const { server: devServer, audience, port, receivedLogSize, https: _https, ...rest } = options;
  const verifier = createTokenVerifier({
    ...rest,
    ...(devServer ? { server: devServer } : {}),
    audience: audience ?? [devServer?.defaultAudience ?? DEFAULT_AUDIENCE, DEFAULT_TENANT_ID],
  });
  const realm = options.realm ?? 'mca-oauth-dev';
  const received = new ReceivedLog(receivedLogSize ?? 100);
  let accepted = 0;
  let rejected = 0;
  let rejectRemaining = 0;
  // Known once listening; a request cannot arrive before.
  let url = '';

  const unauthorized = (res: ServerResponse, description: string): void => {
    rejected++;
    sendBearerRejection(res, { ok: false, status: 401, error: 'invalid_token', description, wwwAuthenticate: bearerChallenge(realm, 'invalid_token', description) });
  };

  const protectedEcho = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (rejectRemaining > 0) {
      rejectRemaining--;
      return unauthorized(res, 'rejected on demand');
    }
    const result = await verifier.verify(req.headers.authorization, { dpop: dpopRequestOf(req, url) });
    if (!result.ok) {
      rejected++;
      return sendBearerRejection(res, result);
    }
    const bindingProblem = certificateBindingProblem(req, result.payload);
    if (bindingProblem !== undefined) return unauthorized(res, bindingProblem);
    accepted++;
    if (result.dpopNonce !== undefined) res.setHeader('dpop-nonce', result.dpopNonce);
    await sendEcho(req, res, result.payload);
  };

  const authority = options.https === true ? (devServer?.certificateAuthority ?? createCertificateAuthority()) : options.https || undefined;
  const server = createLoopbackServer((req, res) => {
    const { path, query } = splitUrl(req.url);
    received.record(path, { method: req.method ?? 'GET', url: req.url ?? '/', authorization: req.headers.authorization });
    if (path === '/api/redirect') return redirect(res, query);
    if (path === '/api/unauthorized') return unauthorized(res, 'this route always answers 401');
    if (path.startsWith('/api/')) {
      protectedEcho(req, res).catch(() => (res.headersSent ? res.destroy() : sendJson(res, 500, { error: 'server_error' })));
      return;
    }
    if (path.startsWith('/public/')) return void sendEcho(req, res);
    sendJson(res, 404, { error: 'not_found' });
  }, authority === undefined ? undefined : { authority });

  url = await listenOnLoopback(server, port ?? 0);
  return {
    url,
    ...(authority !== undefined && { ca: authority.cert }),
    verifier,
    dpop: verifier.dpop,
    received,
    stats: {
      get accepted() {
        return accepted;
      },
      get rejected() {
        return rejected;
      },
      dpop: verifier.dpop.stats,
      reset() {
        accepted = rejected = 0;
        verifier.dpop.stats.reset();
      },
    },
    rejectNext(n: number) {
      if (!Number.isInteger(n) || n < 0) throw invalidArg('rejectNext(n) needs an integer n >= 0');
      rejectRemaining = n;
    },
    close: () => closeServer(server),
  };
}
