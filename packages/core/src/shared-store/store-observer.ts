/** Reports what the shared store did to diagnostics channels and to the user's logger, in one place. */
import { channels, type StoreErrorEvent } from '../observability/channels.js';
import { loggerOption, type McaLogger } from '../observability/logger.js';
import { invalidOption } from '../config/validate.js';

/** Which store operation failed. */
export type StoreOperation = StoreErrorEvent['operation'];

/** What `withSharedStore` reports; the default publishes on `mca-oauth:store:adopt` and `mca-oauth:store:error`. */
export interface SharedStoreObserver {
  /** A token came from the store: no token request was made. */
  adopted(key: string): void;
  /** The store failed; the caller went on without it. */
  failed(key: string, operation: StoreOperation, error: unknown): void;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/**
 * @param logger receives what the channels publish (see `McaOptions.logger`). Default: none.
 * @param name the route's name, carried by every event beside the key (see `RouteOptions.name`). Default: none.
 */
export function createSharedStoreObserver(logger?: McaLogger, name?: string): SharedStoreObserver {
  loggerOption(logger);
  if (name !== undefined && typeof name !== 'string') throw invalidOption('name', 'must be a string');
  const named = name === undefined ? {} : { name };
  return {
    adopted(key) {
      if (channels.storeAdopt.hasSubscribers) channels.storeAdopt.publish({ key, ...named });
      logger?.debug?.('mca-oauth: took a token from the shared store', { key, ...named });
    },
    failed(key, operation, error) {
      const code = codeOf(error);
      // Store errors are ours or the client library's; neither puts a token or a secret in its message.
      const message = error instanceof Error ? error.message : 'shared store failed';
      if (channels.storeError.hasSubscribers) channels.storeError.publish({ key, ...named, operation, code, message });
      logger?.warn?.('mca-oauth: the shared token store failed; going on without it', { key, ...named, operation, code, message });
    },
  };
}
