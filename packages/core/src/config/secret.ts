/** Secret: a value (a client secret, a private key) that never shows itself in a message, log, `util.inspect` or JSON. */
import { inspect } from 'node:util';

const REDACTED = '[redacted]';

export class Secret<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  /** The only way to read the value: grep for `reveal()` to audit every use. */
  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
