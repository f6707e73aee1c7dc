/**
 * A route whose tokens come from token exchange: one cache entry per route and user, keyed by a digest of the
 * user's token, so each user has their own single flight, refresh ahead, 401 invalidation and failure backoff.
 */
import { createHash } from 'node:crypto';
import { timesFor, type TokenTimes } from '../cache/lifetime-policy.js';
import { stampedAuthorization, type CachedToken } from '../cache/cached-token.js';
import type { TokenCache, TokenSource } from '../cache/token-cache.js';
import type { ResolvedTokenConfig } from '../config/resolve.js';
import type { DpopProver } from '../dpop/prover.js';
import { invalidOption } from '../config/validate.js';
import { McaError, McaErrorCodes } from '../errors/index.js';
import type { IssuedToken } from '../providers/issued-token.js';
import type { SourcePolicies } from '../stamping/token-source.js';
import { exchangeSettings, type ExchangeSettings } from './exchange-options.js';
import { currentSubject } from './on-behalf-of.js';
import type { Subject } from './subject.js';
import { ExchangeOutage } from './exchange-outage.js';
import { TokenExchange } from './token-exchange.js';

export interface ExchangeRequest {
  readonly signal?: AbortSignal | undefined;
  readonly previousAuthorization?: string | undefined;
}

function noSubjectError(): McaError {
  return new McaError(
    McaErrorCodes.NO_SUBJECT_TOKEN,
    'This request matches a token-exchange route but runs outside onBehalfOf(): there is no user token to exchange. ' +
      'Wrap the work done for an incoming request in onBehalfOf(req, fn).',
  );
}

function invalidSubjectError(): McaError {
  return new McaError(
    McaErrorCodes.INVALID_SUBJECT_TOKEN,
    'The subject given to onBehalfOf() is not a usable bearer token (not "Bearer <token>" of visible ASCII, or over 16 KiB).',
  );
}

export class ExchangeRoute {
  /** The route-level key (a hash, no user in it): what `stamped` events carry. */
  readonly key: string;
  /** The route's source outside any user: asking it for a token fails with MCA_NO_SUBJECT_TOKEN. */
  readonly source: TokenSource;
  readonly #exchange: TokenExchange;
  readonly #policies: SourcePolicies;
  /** Set with the route's `dpop` option: each user's exchanged token is bound to this key (RFC 9449 §5). */
  readonly #dpop: DpopProver | undefined;
  /** The endpoint's own failures back off every user of the route; a user's refused token backs off only them. */
  readonly #outage: ExchangeOutage;
  /**
   * Which user each exchanged token was issued for, keyed by the Authorization value it is stamped with
   * (`Bearer …`, or `DPoP …` on a `dpop` route), so that a 401 or a redirect hop finds the user from the token
   * it carried, whatever async context the client runs its callbacks in. Bounded like the cache, oldest out first.
   * A plain Map, not an LRUCache: lru-cache publishes its keys (these are tokens) on `lru-cache:metrics`.
   */
  readonly #issuedFor = new Map<string, Subject>();

  constructor(config: ResolvedTokenConfig, settings: ExchangeSettings, policies: SourcePolicies) {
    this.key = createHash('sha256')
      .update(JSON.stringify([config.cacheKey, 'token-exchange', settings.subjectTokenType, settings.requestedTokenType ?? null]))
      .digest('base64url')
      .slice(0, 22);
    this.#exchange = new TokenExchange(config, settings);
    this.#policies = policies;
    this.#dpop = config.dpop;
    this.#outage = new ExchangeOutage(policies.backoff);
    this.source = {
      key: this.key,
      provider: { cacheKey: this.key, fetchToken: () => Promise.reject(noSubjectError()) },
      ...policies,
    };
  }

  /** The current user's cache entry (or that of the user `previousAuthorization` was issued for), for core's stamper. */
  entry(cache: TokenCache, request: ExchangeRequest | undefined): CachedToken | Promise<CachedToken> {
    const previous = request?.previousAuthorization;
    const subject = (previous === undefined ? undefined : this.#issuedFor.get(previous)) ?? currentSubject();
    if (subject === undefined || subject.problem === 'absent') return Promise.reject(noSubjectError());
    if (subject.problem !== undefined) return Promise.reject(invalidSubjectError());
    return cache.entry(this.#sourceOf(subject, cache), request?.signal);
  }

  /** A protected API rejected `authorization`: the user it was issued for gets a new exchange; others are untouched. */
  rejected(cache: TokenCache, authorization: string): void {
    const subject = this.#issuedFor.get(authorization);
    if (subject !== undefined) cache.invalidate(this.#sourceOf(subject, cache).key, authorization, this.#policies.backoff);
  }

  #rememberIssued(authorization: string, subject: Subject, max: number): void {
    if (this.#issuedFor.size >= max) this.#issuedFor.delete(this.#issuedFor.keys().next().value as string);
    this.#issuedFor.set(authorization, subject);
  }

  #sourceOf(subject: Subject, cache: TokenCache): TokenSource {
    return subject.memo(this, () => {
      const key = `${this.key}.${subject.digest()}`;
      const { lifetime } = this.#policies;
      return {
        key,
        provider: {
          cacheKey: key,
          fetchToken: async (signal?: AbortSignal): Promise<IssuedToken> => {
            this.#outage.check();
            let token: IssuedToken;
            try {
              token = await this.#exchange.exchange(subject, signal);
            } catch (error) {
              this.#outage.failed(error);
              throw error;
            }
            this.#outage.succeeded();
            this.#rememberIssued(stampedAuthorization(token, this.#dpop !== undefined), subject, cache.max);
            return token;
          },
        },
        ...this.#policies,
        ...(this.#dpop !== undefined && { dpop: this.#dpop }),
        // A token capped at the subject's expiry would be refreshed into one capped the same: it is used to the end.
        lifetimeOf(token: IssuedToken): TokenTimes {
          // Read here, on a miss, not when the source is made: decoding the JWT costs more than a whole cache hit.
          const subjectExpiresAt = subject.expiresAt();
          const times = timesFor(token.issuedAt, token.expiresAt, lifetime);
          return subjectExpiresAt !== undefined && token.expiresAt >= subjectExpiresAt ? { refreshAt: times.usableUntil, usableUntil: times.usableUntil } : times;
        },
      };
    });
  }
}

/** An ExchangeRoute for a route's `exchange` option; the MCA protocol has no token exchange. */
export function createExchangeRoute(label: string, value: unknown, config: ResolvedTokenConfig, policies: SourcePolicies): ExchangeRoute {
  const settings = exchangeSettings(`${label}.exchange`, value);
  if (config.protocol !== 'oauth2') {
    throw invalidOption(`${label}.exchange`, 'needs an OAuth 2.0 token endpoint (tokenEndpoint or issuer); the MCA protocol has no token exchange');
  }
  return new ExchangeRoute(config, settings, policies);
}
