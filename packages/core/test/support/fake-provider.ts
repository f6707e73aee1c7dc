/** A token provider under the test's control: each fetch waits until the test settles it. */
import { IssuedToken, type TokenProvider } from '../../src/providers/issued-token.js';

interface Pending {
  resolve(token: IssuedToken): void;
  reject(error: unknown): void;
}

export class FakeProvider implements TokenProvider {
  readonly cacheKey: string;
  calls = 0;
  readonly #pending: Pending[] = [];

  constructor(cacheKey = 'fake-key') {
    this.cacheKey = cacheKey;
  }

  fetchToken(): Promise<IssuedToken> {
    this.calls += 1;
    return new Promise<IssuedToken>((resolve, reject) => this.#pending.push({ resolve, reject }));
  }

  get waiting(): number {
    return this.#pending.length;
  }

  /** Answers the oldest waiting fetch with a token living `lifetimeMs` from now. */
  succeed(value: string, lifetimeMs: number): void {
    const now = Date.now();
    this.#take().resolve(new IssuedToken(value, now, now + lifetimeMs));
  }

  fail(error: unknown): void {
    this.#take().reject(error);
  }

  #take(): Pending {
    const next = this.#pending.shift();
    if (next === undefined) throw new Error('no token fetch is waiting');
    return next;
  }
}

/** Lets queued promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}
