/** Sharing tokens between processes: the store contract, and the provider decorator that uses it. */
export type { SharedTokenLock, SharedTokenStore, SharedTokenWait } from './shared-token-store.js';
export { withSharedStore, type SharedStoreOptions } from './with-shared-store.js';
export { createSharedStoreObserver, type SharedStoreObserver, type StoreOperation } from './store-observer.js';
export { sharedStoreOption } from './store-option.js';
