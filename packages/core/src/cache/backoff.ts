/** Exponential backoff with jitter after token request failures, so a down server is not hammered. */
import type { BackoffOptions } from '../config/options.js';
import { numberInRange } from '../config/validate.js';

export interface BackoffPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/** However long a server's Retry-After asks, we try again after at most five minutes. */
export const MAX_RETRY_AFTER_MS = 300_000;

export function backoffPolicy(options: BackoffOptions | undefined): BackoffPolicy {
  const initialDelayMs = numberInRange('backoff.initialDelayMs', options?.initialDelayMs, 500, 0, 60_000);
  const maxDelayMs = numberInRange('backoff.maxDelayMs', options?.maxDelayMs, 30_000, initialDelayMs, 3_600_000);
  return { initialDelayMs, maxDelayMs };
}

/**
 * The wait after the `failures`-th failure in a row: `initial × 2^(failures−1)`, capped, then "equal jitter"
 * (half fixed, half random) so a fleet of processes does not retry in step; never shorter than Retry-After.
 */
export function backoffDelay(policy: BackoffPolicy, failures: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, failures - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}
