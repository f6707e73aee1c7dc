/**
 * Installs a global dispatcher the way an app does, for Node's own `fetch`.
 *
 * Jest runs each test file in a vm context with its own `globalThis`, so undici's `setGlobalDispatcher`
 * writes its symbols there, while Node's bundled fetch reads them from the process's real global. This
 * copies exactly what undici wrote (both `undici.globalDispatcher.1` and `.2`) onto the real global,
 * which is what the same call does outside Jest, and puts both realms back afterwards.
 */
import { setGlobalDispatcher, type Dispatcher } from 'undici';

export const GLOBAL_DISPATCHER_SYMBOLS = [Symbol.for('undici.globalDispatcher.1'), Symbol.for('undici.globalDispatcher.2')] as const;

/** The process's real global, reached through a function of its realm (Node's fetch). */
export const processGlobal = (fetch.constructor as FunctionConstructor)('return globalThis')() as Record<symbol, unknown>;
const testGlobal = globalThis as unknown as Record<symbol, unknown>;

function write(target: Record<symbol, unknown>, symbol: symbol, value: unknown): void {
  // undici defines these writable but not configurable.
  if (Object.prototype.hasOwnProperty.call(target, symbol)) target[symbol] = value;
  else Object.defineProperty(target, symbol, { value, writable: true, enumerable: false, configurable: false });
}

/** Sets `dispatcher` as the global one for Node's fetch and undici's own API; returns the undo. */
export function installGlobalDispatcher(dispatcher: Dispatcher): () => void {
  const saved = GLOBAL_DISPATCHER_SYMBOLS.map((symbol) => [symbol, testGlobal[symbol], processGlobal[symbol]] as const);
  setGlobalDispatcher(dispatcher);
  for (const symbol of GLOBAL_DISPATCHER_SYMBOLS) write(processGlobal, symbol, testGlobal[symbol]);
  return () => {
    for (const [symbol, inTest, inProcess] of saved) {
      write(testGlobal, symbol, inTest);
      write(processGlobal, symbol, inProcess);
    }
  };
}

/** Runs `run` with `dispatcher` as the global one, then puts the old one back and closes `dispatcher`. */
export async function withGlobalDispatcher<T>(dispatcher: Dispatcher, run: () => Promise<T>): Promise<T> {
  const restore = installGlobalDispatcher(dispatcher);
  try {
    return await run();
  } finally {
    restore();
    await dispatcher.close();
  }
}
