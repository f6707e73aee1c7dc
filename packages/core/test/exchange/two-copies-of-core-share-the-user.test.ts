/**
 * An app can load core twice (its ESM and CommonJS builds, or two versions through two adapters): onBehalfOf from
 * one copy must be the user the other copy's stamper sees, or every exchange route would fail with
 * MCA_NO_SUBJECT_TOKEN. Here the second copy is the same module loaded again in an isolated registry.
 */
import { jest } from '@jest/globals';
import { onBehalfOf, currentSubject } from '../../src/exchange/on-behalf-of.js';

it('a user set by one copy of core is the current user in another copy', async () => {
  let other: typeof import('../../src/exchange/on-behalf-of.js') | undefined;
  await jest.isolateModulesAsync(async () => {
    other = await import('../../src/exchange/on-behalf-of.js');
  });
  expect(other!.onBehalfOf).not.toBe(onBehalfOf);
  expect(onBehalfOf('token-from-copy-one', () => other!.currentSubject()?.token())).toBe('token-from-copy-one');
  expect(other!.onBehalfOf('token-from-copy-two', () => currentSubject()?.token())).toBe('token-from-copy-two');
});
