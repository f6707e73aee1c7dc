/**
 * Everything mca-oauth says while a scenario runs, kept for the scanner: every diagnostics channel of core
 * (CHANNEL_NAMES) and of lru-cache (`lru-cache:metrics` and its `lru-cache` tracing channel), every line given
 * to the `logger` option, and every process warning.
 */
import diagnostics from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { jest } from '@jest/globals';
import { CHANNEL_NAMES, type McaLogger } from '@mca-oauth/core';
import type { Sighting } from './leak-scanner.js';

const LRU_CACHE_CHANNELS = ['lru-cache:metrics', ...['start', 'end', 'asyncStart', 'asyncEnd', 'error'].map((event) => `tracing:lru-cache:${event}`)];

export const OBSERVED_CHANNELS: readonly string[] = [...Object.values(CHANNEL_NAMES), ...LRU_CACHE_CHANNELS];

export interface Observer {
  /** Give it to every stamper the scenario creates. */
  readonly logger: McaLogger;
  /** How many diagnostics messages arrived, per channel, since the observer started. */
  readonly published: ReadonlyMap<string, number>;
  /** What was seen since the last call. */
  take(): Sighting[];
  stop(): void;
}

/**
 * Payloads are snapshotted when published (lru-cache fills its status objects in later): the rendering is what
 * a subscriber that logs on arrival would print, and the object itself is kept for the JSON form.
 */
export function observeEverything(): Observer {
  let seen: Sighting[] = [];
  const published = new Map<string, number>();
  const onMessage = (message: unknown, name: string | symbol): void => {
    const channel = String(name);
    published.set(channel, (published.get(channel) ?? 0) + 1);
    seen.push({ where: `diagnostics_channel ${channel}`, value: message }, { where: `diagnostics_channel ${channel} (on arrival)`, value: inspect(message, { depth: Infinity }) });
  };
  for (const name of OBSERVED_CHANNELS) diagnostics.subscribe(name, onMessage);

  const line = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    seen.push({ where: `logger.${level}`, value: { message, fields } });
  };
  const logger: McaLogger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };

  // Jest gives each test file its own `process`, whose 'warning' listeners never fire: spy on emitWarning instead.
  const warnings = jest.spyOn(process, 'emitWarning').mockImplementation(((warning: string | Error, options?: unknown) => {
    seen.push({ where: 'process warning', value: { warning, options } });
  }) as typeof process.emitWarning);

  return {
    logger,
    published,
    take() {
      const taken = seen;
      seen = [];
      return taken;
    },
    stop() {
      for (const name of OBSERVED_CHANNELS) diagnostics.unsubscribe(name, onMessage);
      warnings.mockRestore();
    },
  };
}
