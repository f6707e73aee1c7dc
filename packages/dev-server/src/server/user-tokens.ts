/** Users' access tokens for the middle tier, as this server would have issued them at login: subjects to exchange. */
import { invalidArg } from '../lib/invalid-arg.js';
import type { ServerContext } from './context.js';
import { signClaims } from './sign-token.js';

export interface UserTokenRequest {
  /** How many users: `${prefix}-${from}` … `${prefix}-${from + count - 1}`. 1 to 10,000. */
  readonly count: number;
  /** The first user's number. Default: 0. */
  readonly from?: number;
  readonly prefix: string;
  /** Lifetime in seconds, 1 to 86,400. */
  readonly ttlSec: number;
}

/** Signs one token per user, `aud` = the first audience subject tokens may have (`exchangeSubjectAudiences`). */
export async function signUserTokens(ctx: ServerContext, { count, prefix, ttlSec, from = 0 }: UserTokenRequest): Promise<string[]> {
  if (!Number.isSafeInteger(from) || from < 0) throw invalidArg('from must be an integer >= 0');
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw invalidArg('count must be an integer from 1 to 10000');
  if (!Number.isInteger(ttlSec) || ttlSec < 1 || ttlSec > 86_400) throw invalidArg('ttl must be an integer from 1 to 86400');
  const aud = [...ctx.exchange.subjectAudiences][0];
  const iat = Math.floor(Date.now() / 1000);
  return Promise.all(
    Array.from({ length: count }, (_, index) => signClaims(ctx.keys.oauth, { iss: ctx.issuer, sub: `${prefix}-${from + index}`, aud, iat, exp: iat + ttlSec })),
  );
}
