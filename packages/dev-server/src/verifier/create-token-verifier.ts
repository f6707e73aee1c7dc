/** `createTokenVerifier`: checks a request's bearer token the way a protected API must. */
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { DpopOptions } from '../dpop/dpop-options.js';
import { DpopProofChecker, type DpopControl } from '../dpop/proof-checker.js';
import { invalidArg } from '../lib/invalid-arg.js';
import { parseBearerHeader } from './bearer-header.js';
import { grantedScopes } from './scopes.js';
import { VerifiedTokenCache } from './verified-token-cache.js';
import { bearerChallenge, dpopChallenge, type BearerErrorCode, type DpopErrorCode } from './www-authenticate.js';

/** Where the keys come from and what a valid token must say. Give one of `server`, `jwks`, `jwksUri`. */
export interface TokenVerifierOptions {
  /** A `DevServer` (or anything with its `jwks` and `issuer`): keys are read locally, no HTTP. */
  server?: { readonly jwks: JSONWebKeySet; readonly issuer: string };
  /** A key set held in memory. */
  jwks?: JSONWebKeySet;
  /** A JWKS URL of a server we did not write; fetched and cached by jose's `createRemoteJWKSet`. */
  jwksUri?: string | URL;
  /** Accepted `aud` values; a token must name at least one (RFC 7519 §4.1.3). Required. */
  audience: string | readonly string[];
  /** Required `iss`. Default: the `server`'s issuer when `server` is given, else not checked. */
  issuer?: string;
  /** Scopes every request must have (from `scope` or `imf.scope`). Default: none. */
  requiredScopes?: readonly string[];
  /** `realm` of the challenges. Default: `mca-oauth-dev`. */
  realm?: string;
  /**
   * How many verified tokens to remember until their `exp`. Benchmarks send one token 100k
   * times; this makes all but the first a Map lookup. 0 disables. Default: 1000.
   */
  cacheSize?: number;
  /**
   * DPoP (RFC 9449 §7): `Authorization: DPoP <token>` is accepted when the request's proof is
   * valid for it (`htm`, `htu`, `ath`, key thumbprint = `cnf.jkt`); a DPoP-bound token sent as
   * Bearer is refused. These options set nonce, algorithms, `iat` window and replay store.
   */
  dpop?: DpopOptions;
}

/** What a DPoP request's proof must match: give it to `verify` for every request. */
export interface DpopRequest {
  /** The `DPoP` header (`req.headers.dpop`). */
  proof: string | string[] | undefined;
  /** The request's method. */
  method: string;
  /** The absolute URL the request reached (query and fragment are ignored). */
  url: string;
}

/** Outcome of `verify`: the token's claims, or the status and challenge to answer with. */
export type VerificationResult =
  | {
      ok: true;
      accessToken: string;
      idToken?: string;
      payload: JWTPayload;
      scopes: ReadonlySet<string>;
      /** `DPoP` when the token came with a valid proof (RFC 9449 §7.1). */
      scheme?: 'DPoP';
      /** The `DPoP-Nonce` to send with the answer (RFC 9449 §9), when nonces are required. */
      dpopNonce?: string;
    }
  | {
      ok: false;
      /** 401: missing or invalid token; 403: insufficient scope; 503: the key set could not be fetched. */
      status: 401 | 403 | 503;
      /** Absent when no token was sent (RFC 6750 §3.1). */
      error?: BearerErrorCode | DpopErrorCode;
      /** With `use_dpop_nonce`: the nonce to send in `DPoP-Nonce`. */
      dpopNonce?: string;
      /** Short and safe to log: never contains the token. */
      description: string;
      /** Value for the `WWW-Authenticate` response header. */
      wwwAuthenticate: string;
    };

/** Counters of a verifier. */
export interface VerifierStats {
  accepted: number;
  rejected: number;
  /** Accepted requests answered from the cache of verified tokens. */
  cacheHits: number;
}

export interface TokenVerifier {
  /**
   * Verifies an `Authorization` header value (`req.headers.authorization`). Never throws for bad
   * input: every rejection is a result. `requiredScopes` adds to the verifier's own.
   */
  verify(
    authorization: string | string[] | undefined,
    options?: { requiredScopes?: readonly string[]; dpop?: DpopRequest },
  ): Promise<VerificationResult>;
  /** DPoP switches (`requireNonce`, `rotateNonce()`) and proof counters by reason. */
  readonly dpop: DpopControl;
  /** Live counters (read them, or `reset()` them). */
  readonly stats: Readonly<VerifierStats> & { reset(): void };
  /** Forgets verified tokens (e.g. after rotating the server's keys). */
  clearCache(): void;
}

function keySource(options: TokenVerifierOptions): JWTVerifyGetKey {
  const given = [options.server, options.jwks, options.jwksUri].filter((v) => v !== undefined).length;
  if (given !== 1) throw invalidArg('give exactly one of options.server, options.jwks, options.jwksUri');
  if (options.jwksUri !== undefined) return createRemoteJWKSet(new URL(options.jwksUri));
  return createLocalJWKSet((options.server?.jwks ?? options.jwks)!);
}

/** Maps jose's error codes to descriptions that say what failed without echoing the token. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} is invalid (${error.reason})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key in the key set matches the token';
  if (error instanceof errors.JOSEError) return `token rejected (${error.code})`;
  return 'token rejected';
}

/**
 * jose reports a JWKS fetch that timed out, answered non-200 or non-JSON as JWKSTimeout,
 * a generic JOSEError (thrown nowhere else on the verify path) or JWKSInvalid; a network error
 * arrives as is.
 */
function keySetUnavailable(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  return error.code === 'ERR_JWKS_TIMEOUT' || error.code === 'ERR_JOSE_GENERIC' || error.code === 'ERR_JWKS_INVALID';
}

/** Creates a verifier; options are checked once, here (TypeError, code ERR_INVALID_ARG_VALUE). */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const getKey = keySource(options);
  const audience = typeof options.audience === 'string' ? [options.audience] : [...(options.audience ?? [])];
  if (audience.length === 0 || audience.some((a) => typeof a !== 'string' || a === '')) {
    throw invalidArg('options.audience must be a non-empty string or array of them');
  }
  const issuer = options.issuer ?? options.server?.issuer;
  const required = [...(options.requiredScopes ?? [])];
  const realm = options.realm ?? 'mca-oauth-dev';
  const cacheSize = options.cacheSize ?? 1000;
  if (!Number.isInteger(cacheSize) || cacheSize < 0) throw invalidArg('options.cacheSize must be an integer >= 0');
  const cache = new VerifiedTokenCache(cacheSize);
  const dpop = new DpopProofChecker(options.dpop, 'options.dpop');
  const counters: VerifierStats = { accepted: 0, rejected: 0, cacheHits: 0 };
  const stats = Object.assign(counters, {
    reset(): void {
      counters.accepted = counters.rejected = counters.cacheHits = 0;
    },
  });

  const reject = (status: 401 | 403 | 503, error: BearerErrorCode | undefined, description: string, scope?: string): VerificationResult => {
    counters.rejected++;
    return { ok: false, status, error, description, wwwAuthenticate: bearerChallenge(realm, error, description, scope) };
  };

  const checkScopes = (scopes: ReadonlySet<string>, extra: readonly string[] | undefined): string | undefined => {
    const needed = extra && extra.length > 0 ? [...required, ...extra] : required;
    return needed.some((s) => !scopes.has(s)) ? needed.join(' ') : undefined;
  };

  const rejectDpop = (error: DpopErrorCode, description: string, nonce?: string): VerificationResult => {
    counters.rejected++;
    const result = { ok: false as const, status: 401 as const, error, description, wwwAuthenticate: dpopChallenge(realm, error, description, dpop.algorithms) };
    return nonce === undefined ? result : { ...result, dpopNonce: nonce };
  };

  return {
    stats,
    dpop,
    clearCache: () => cache.clear(),
    async verify(authorization, verifyOptions) {
      const header = parseBearerHeader(authorization);
      if (header.kind === 'absent') return reject(401, undefined, 'no bearer token');
      // RFC 6750 §3.1 would allow 400 invalid_request here; a 401 tells a client to get a new token.
      if (header.kind === 'malformed') return reject(401, 'invalid_token', header.reason);
      const { accessToken } = header;

      const now = Math.floor(Date.now() / 1000);
      let entry = cache.get(accessToken, now);
      if (entry) {
        counters.cacheHits++;
      } else {
        try {
          const { payload } = await jwtVerify(accessToken, getKey, {
            audience,
            ...(issuer === undefined ? {} : { issuer }),
            requiredClaims: ['exp'],
          });
          entry = { payload, scopes: grantedScopes(payload), exp: payload.exp! };
          cache.set(accessToken, entry);
        } catch (error) {
          // A key set we could not fetch says nothing about the token: do not tell the client to drop it.
          if (keySetUnavailable(error)) {
            return reject(503, undefined, 'key set unavailable');
          }
          // RFC 9449 §7.1: a request made with the DPoP scheme is answered with a DPoP challenge.
          return header.kind === 'dpop' ? rejectDpop('invalid_token', describe(error)) : reject(401, 'invalid_token', describe(error));
        }
      }

      const boundTo = (entry.payload.cnf as { jkt?: unknown } | undefined)?.jkt;
      let dpopNonce: string | undefined;
      if (header.kind === 'dpop') {
        if (typeof boundTo !== 'string') {
          dpop.stats.recordRejected('unbound');
          return rejectDpop('invalid_token', 'token is not bound to a DPoP key');
        }
        const request = verifyOptions?.dpop;
        const proof = await dpop.check({
          proof: request?.proof,
          method: request?.method ?? '',
          url: request?.url ?? '',
          accessToken,
          jkt: boundTo,
        });
        if (!proof.ok) return rejectDpop(proof.error, proof.description, proof.nonce);
        dpopNonce = proof.nonce;
      } else if (boundTo !== undefined) {
        // RFC 9449 §7.2: a bound token sent as Bearer is what a thief without the key would send.
        dpop.stats.recordRejected('bound-as-bearer');
        return reject(401, 'invalid_token', 'token is DPoP-bound: send it with the DPoP scheme and a proof');
      }

      const missing = checkScopes(entry.scopes, verifyOptions?.requiredScopes);
      // RFC 6750 §3.1: insufficient_scope is a 403 naming the scope needed.
      if (missing !== undefined) return reject(403, 'insufficient_scope', 'token lacks a required scope', missing);
      counters.accepted++;
      if (header.kind === 'dpop') {
        const accepted = { ok: true as const, accessToken, payload: entry.payload, scopes: entry.scopes, scheme: 'DPoP' as const };
        return dpopNonce === undefined ? accepted : { ...accepted, dpopNonce };
      }
      return header.idToken === undefined
        ? { ok: true, accessToken, payload: entry.payload, scopes: entry.scopes }
        : { ok: true, accessToken, idToken: header.idToken, payload: entry.payload, scopes: entry.scopes };
    },
  };
}
