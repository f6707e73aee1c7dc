/** The McaError a pending call rejects with (or a sync call throws); a success fails the test. */
import type { McaError } from '../../src/errors/index.js';

export async function failureOf(pending: unknown): Promise<McaError> {
  try {
    await pending;
  } catch (error) {
    return error as McaError;
  }
  throw new Error('expected a failure');
}
