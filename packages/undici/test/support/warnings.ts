/**
 * Collects process warnings with a given code while a test runs. Jest gives each test file its own
 * `process` object whose 'warning' listeners never fire, so this spies on `emitWarning` instead.
 */
import { jest } from '@jest/globals';

export function collectWarnings(code: string): { readonly seen: string[]; stop(): void } {
  const seen: string[] = [];
  const original = process.emitWarning.bind(process);
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation(((warning: string | Error, options?: unknown) => {
    if (typeof options === 'object' && options !== null && (options as { code?: string }).code === code) {
      seen.push(String(warning));
      return;
    }
    (original as (w: string | Error, o?: unknown) => void)(warning, options);
  }) as typeof process.emitWarning);
  return { seen, stop: () => spy.mockRestore() };
}
