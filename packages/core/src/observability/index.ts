export { CHANNEL_NAMES } from './channels.js';
export { readMcaCounts, type McaCounts, type RouteCounts } from './counts.js';
export type { CacheEvent, SkippedEvent, StampedEvent, TokenRequestEndEvent, TokenRequestErrorEvent, TokenRequestStartEvent } from './channels.js';
export type { RejectedEvent, RetryEvent, TokenRequestTarget } from './channels.js';
export type { McaLogger } from './logger.js';
