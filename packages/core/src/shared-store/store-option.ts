/** Checks the `store` option once, when a stamper is created, so a wrong value fails at start-up, not mid-request. */
import { invalidOption } from '../config/validate.js';
import type { SharedTokenStore } from './shared-token-store.js';

const OPERATIONS = ['get', 'set', 'lock', 'waitForToken'] as const;

export function sharedStoreOption(value: unknown): SharedTokenStore | undefined {
  if (value === undefined) return undefined;
  const isStore =
    typeof value === 'object' && value !== null && OPERATIONS.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
  if (!isStore) throw invalidOption('store', `must be a SharedTokenStore with ${OPERATIONS.join(', ')} functions, e.g. from createRedisTokenStore()`);
  return value as SharedTokenStore;
}
