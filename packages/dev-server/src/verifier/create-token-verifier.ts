/** `createTokenVerifier`: checks a request's bearer token the way a protected API must. */
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { invalidArg } from '../lib/invalid-arg.js';
import { parseBearerHeader } from './bearer-header.js';
import { grantedScopes } from './scopes.js';
import { VerifiedTokenCache } from './verified-token-cache.js';
import { bearerChallenge, type BearerErrorCode } from './www-authenticate.js';

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
}

/** Outcome of `verify`: the token's claims, or the status and challenge to answer with. */
export type VerificationResult =
  | { ok: true; accessToken: string; idToken?: string; payload: JWTPayload; scopes: ReadonlySet<string> }
  | {
      ok: false;
      /** 401: missing or invalid token; 403: insufficient scope; 503: the key set could not be fetched. */
      status: 401 | 403 | 503;
      /** Absent when no token was sent (RFC 6750 §3.1). */
      error?: BearerErrorCode;
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
  verify(authorization: string | string[] | undefined, options?: { requiredScopes?: readonly string[] }): Promise<VerificationResult>;
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

  return {
    stats,
    clearCache: () => cache.clear(),
    async verify(authorization, verifyOptions) {
      const header = parseBearerHeader(authorization);
      if (header.kind === 'absent') return reject(401, undefined, 'no bearer token');
      // RFC 6750 §3.1 would allow 400 invalid_request here; a 401 tells a client to get a new token.
      if (header.kind === 'malformed') return reject(401, 'invalid_token', header.reason);
      const { accessToken, idToken } = header;

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
          return reject(401, 'invalid_token', describe(error));
        }
      }

      const missing = checkScopes(entry.scopes, verifyOptions?.requiredScopes);
      // RFC 6750 §3.1: insufficient_scope is a 403 naming the scope needed.
      if (missing !== undefined) return reject(403, 'insufficient_scope', 'token lacks a required scope', missing);
      counters.accepted++;
      return idToken === undefined
        ? { ok: true, accessToken, payload: entry.payload, scopes: entry.scopes }
        : { ok: true, accessToken, idToken, payload: entry.payload, scopes: entry.scopes };
    },
  };
}
