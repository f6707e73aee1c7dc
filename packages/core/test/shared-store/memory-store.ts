/**
 * An in-memory SharedTokenStore for core's tests: one instance stands for the store that several simulated
 * processes share. Waits end only when the test says (a write, a release, or `timeOutWaits`), so the tests decide
 * every interleaving. The Redis store is tested against a real Redis in packages/redis.
 */
import type { IssuedToken } from '../../src/providers/issued-token.js';
import type { SharedTokenLock, SharedTokenStore, SharedTokenWait } from '../../src/shared-store/index.js';

type Operation = 'get' | 'set' | 'lock' | 'unlock' | 'wait';

interface Waiter {
  readonly key: string;
  readonly isWanted: (token: IssuedToken) => boolean;
  readonly resolve: (wait: SharedTokenWait) => void;
}

export class StoreDown extends Error {
  readonly code = 'MCA_STORE_UNAVAILABLE';
}

export class MemoryStore implements SharedTokenStore {
  readonly #values = new Map<string, { token: IssuedToken; storedUntil: number }>();
  readonly #locks = new Set<string>();
  #waiters: Waiter[] = [];
  /** Operations that throw, to simulate a store that is down. */
  readonly failing = new Set<Operation>();
  /** Each `set` call's TTL, in order. */
  readonly ttls: number[] = [];
  locksTaken = 0;

  async get(key: string): Promise<IssuedToken | undefined> {
    this.#failIf('get');
    const entry = this.#values.get(key);
    return entry !== undefined && Date.now() < entry.storedUntil ? entry.token : undefined;
  }

  async set(key: string, token: IssuedToken, ttlMs: number): Promise<void> {
    this.#failIf('set');
    this.ttls.push(ttlMs);
    this.#values.set(key, { token, storedUntil: Date.now() + ttlMs });
    this.#wake(key);
  }

  async lock(key: string): Promise<SharedTokenLock | undefined> {
    this.#failIf('lock');
    if (this.#locks.has(key)) return undefined;
    this.#locks.add(key);
    this.locksTaken += 1;
    return {
      release: async () => {
        this.#failIf('unlock');
        this.#locks.delete(key);
        this.#wake(key);
      },
    };
  }

  async waitForToken(key: string, isWanted: (token: IssuedToken) => boolean): Promise<SharedTokenWait> {
    this.#failIf('wait');
    return new Promise((resolve) => {
      this.#waiters.push({ key, isWanted, resolve });
      this.#wake(key);
    });
  }

  /** How many processes are waiting for another's token. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** The store's time limit passes for every waiter. */
  timeOutWaits(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.resolve({ outcome: 'timeout' });
  }

  /** Forgets the lock as a lease running out would, with no release. */
  expireLease(key: string): void {
    this.#locks.delete(key);
    this.#wake(key);
  }

  #wake(key: string): void {
    const entry = this.#values.get(key);
    const token = entry !== undefined && Date.now() < entry.storedUntil ? entry.token : undefined;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (waiter.key !== key) return true;
      if (token !== undefined && waiter.isWanted(token)) waiter.resolve({ outcome: 'token', token });
      else if (!this.#locks.has(key)) waiter.resolve({ outcome: 'released' });
      else return true;
      return false;
    });
  }

  #failIf(operation: Operation): void {
    if (this.failing.has(operation)) throw new StoreDown(`store ${operation} failed: connection refused`);
  }
}
