/** The optional logger hook, for apps that do not subscribe to `node:diagnostics_channel`. */

/** Receives a message and structured fields; never a secret or a token. Every method is optional. */
export interface McaLogger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}
