/** The McaError a promise rejects with; a test fails if it resolves. */
import type { McaError } from '../../src/errors/index.js';

export async function failure(promise: Promise<unknown>): Promise<McaError> {
  try {
    await promise;
  } catch (error) {
    return error as McaError;
  }
  throw new Error('expected the token request to fail');
}
