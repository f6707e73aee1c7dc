/** The retry asks got to keep its afterResponse hooks (preserveHooks), and falls back on a got 14 that predates the option. */
import { retryKeepingHooks } from '../src/retry-after-rejection.js';

class RetryError extends Error {}

it('asks for preserveHooks, and lets got’s RetryError through', async () => {
  const calls: unknown[] = [];
  const retry = async (options: unknown): Promise<never> => {
    calls.push(options);
    throw new RetryError('retry');
  };
  await expect(retryKeepingHooks(retry as never)).rejects.toBeInstanceOf(RetryError);
  expect(calls).toEqual([{ preserveHooks: true }]);
});

it('retries without it when got refuses the option before merging anything', async () => {
  const calls: unknown[] = [];
  const retry = async (options: Record<string, unknown>): Promise<never> => {
    calls.push(options);
    if ('preserveHooks' in options) throw new Error('Unexpected option: preserveHooks');
    throw new RetryError('retry');
  };
  await expect(retryKeepingHooks(retry as never)).rejects.toBeInstanceOf(RetryError);
  expect(calls).toEqual([{ preserveHooks: true }, {}]);
});
