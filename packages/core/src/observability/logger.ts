/** The optional logger hook, for apps that do not subscribe to `node:diagnostics_channel`. */
import { invalidOption } from '../config/validate.js';

/** Receives a message and structured fields; never a secret or a token. Every method is optional. */
export interface McaLogger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

/** Checks a logger once, at creation: an object whose methods, where present, are functions. */
export function loggerOption(value: unknown, option = 'logger'): McaLogger | undefined {
  if (value === undefined) return undefined;
  const isLogger =
    typeof value === 'object' &&
    value !== null &&
    LOGGER_METHODS.every((name) => {
      const method = (value as Record<string, unknown>)[name];
      return method === undefined || typeof method === 'function';
    });
  if (!isLogger) throw invalidOption(option, 'must be an object with optional debug, info, warn and error functions (console works)');
  return value as McaLogger;
}
