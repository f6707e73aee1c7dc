/** When a cached token stops being used, and when it is refreshed in the background before that. */
import type { RefreshAheadOptions } from '../config/options.js';
import { numberInRange } from '../config/validate.js';

export interface LifetimePolicy {
  /** Share of the usable life after which a background refresh starts. */
  readonly lifetimeShare: number;
  /** Or this long before the end of the usable life, whichever is earlier. */
  readonly windowMs: number | undefined;
  readonly clockSkewMs: number;
}

/** The skew never takes more than this share of a token's life, so short test tokens stay useful. */
const MAX_SKEW_SHARE = 0.1;

export function lifetimePolicy(refreshAhead: RefreshAheadOptions | undefined, clockSkewMs: number | undefined): LifetimePolicy {
  const lifetimeShare = numberInRange('refreshAhead.lifetimeShare', refreshAhead?.lifetimeShare, 0.8, Number.MIN_VALUE, 1);
  const windowMs = refreshAhead?.windowMs === undefined ? undefined : numberInRange('refreshAhead.windowMs', refreshAhead.windowMs, 0, 0, 86_400_000);
  return { lifetimeShare, windowMs, clockSkewMs: numberInRange('clockSkewMs', clockSkewMs, 30_000, 0, 3_600_000) };
}

export interface TokenTimes {
  /** From here on the token is refreshed in the background while it is still handed out. */
  readonly refreshAt: number;
  /** From here on the token is never handed out. */
  readonly usableUntil: number;
}

export function timesFor(issuedAt: number, expiresAt: number, policy: LifetimePolicy): TokenTimes {
  const lifetime = Math.max(0, expiresAt - issuedAt);
  const usableUntil = expiresAt - Math.min(policy.clockSkewMs, lifetime * MAX_SKEW_SHARE);
  const usable = Math.max(0, usableUntil - issuedAt);
  let refreshAt = issuedAt + usable * policy.lifetimeShare;
  if (policy.windowMs !== undefined) refreshAt = Math.min(refreshAt, usableUntil - policy.windowMs);
  return { refreshAt: Math.max(issuedAt, refreshAt), usableUntil };
}
