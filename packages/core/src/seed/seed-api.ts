/**
 * The bms-mca-oauth-sdk API, so an old app runs after changing only its `require` line. Unlike the seed it
 * caches tokens (and honours `cacheSize`), and its errors are McaErrors that keep the seed's codes.
 */
import { backoffPolicy } from '../cache/backoff.js';
import { lifetimePolicy } from '../cache/lifetime-policy.js';
import { TokenCache, type TokenSource } from '../cache/token-cache.js';
import type { TokenOptions } from '../config/options.js';
import { checkSeedOptionNames } from '../config/known-options.js';
import { ownOptions } from '../config/own-options.js';
import { environmentOption, invalidOption, positiveInteger } from '../config/validate.js';
import { resolveTokenConfig, withPlatformDefaults } from '../config/resolve.js';
import { McaError, McaErrorCodes, isMcaError, tokenFailureCodes } from '../errors/index.js';
import { createTokenObserver } from '../observability/token-observer.js';
import { createTokenSource } from '../stamping/token-source.js';

/** The seed's options, plus any of core's token options. */
export interface SeedOptions extends TokenOptions {
  /** How many tokens to keep (the seed documented it and ignored it; we honour it). Default: 100. */
  cacheSize?: number;
  env?: Readonly<Record<string, string | undefined>>;
}

const MAX_REMEMBERED_CONFIGURATIONS = 1000;

let seedCache: TokenCache | undefined;
const sources = new Map<string, TokenSource>();
const policies = { lifetime: lifetimePolicy(undefined, undefined), backoff: backoffPolicy(undefined), observer: createTokenObserver(undefined, 'seed') };

/**
 * Resolves the options afresh on every call (options, VCAP, environment), so a secret corrected in a running
 * process is used at once. The credentials are part of the cache key, so tokens are still cached per identity,
 * and a wrong secret's failures and backoff never touch the right secret's token.
 */
function sourceFor(options: SeedOptions): TokenSource {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw invalidOption('options', 'must be an object');
  checkSeedOptionNames(options);
  const { cacheSize, env, ...tokenOptions } = ownOptions(options);
  const config = resolveTokenConfig(withPlatformDefaults(tokenOptions, environmentOption(env) ?? process.env));
  // The first call sizes the cache, as the seed's sample (`{ cacheSize: 100 }`) expects.
  // Checked on every call, though only the first one's counts: a wrong value is a mistake whenever it is made.
  const max = positiveInteger('cacheSize', cacheSize, 100, 10_000_000);
  seedCache ??= new TokenCache({ max });
  let source = sources.get(config.cacheKey);
  if (source === undefined) {
    if (sources.size >= MAX_REMEMBERED_CONFIGURATIONS) sources.delete(sources.keys().next().value as string);
    source = createTokenSource(config, policies);
    sources.set(config.cacheKey, source);
  }
  return source;
}

/** Token failures carry the seed's TOKEN_GENERATE_ERROR code, which old apps check; the precise error is the `cause`. */
function asSeedError(error: unknown): unknown {
  if (!isMcaError(error) || !tokenFailureCodes.has(error.code)) return error;
  return new McaError(McaErrorCodes.TOKEN_GENERATE_ERROR, `Error occurred when generating the token: ${error.message}`, {
    cause: error,
    ...(error.status !== undefined && { status: error.status }),
    ...(error.oauthError !== undefined && { oauthError: error.oauthError }),
    ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
  });
}

/**
 * Resolves to `"Bearer <token>"` for the configured client: options, then VCAP_SERVICES / VCAP_APPLICATION,
 * then environment variables, read afresh on every call (a corrected secret is used at once; tokens are cached
 * per credentials). Rejects with an McaError whose `code` is one of the seed's codes, or `MCA_INVALID_OPTION` /
 * `MCA_UNKNOWN_OPTION` for options it cannot take.
 */
export async function getAuthorizationHeader(options: SeedOptions = {}): Promise<string> {
  try {
    const source = sourceFor(options === null ? {} : options);
    return await (seedCache as TokenCache).authorization(source);
  } catch (error) {
    throw asSeedError(error);
  }
}

/** The seed 3.x name of `getAuthorizationHeader`. */
export const getAuthorizationHeaderBySecret = getAuthorizationHeader;
