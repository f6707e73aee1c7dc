/**
 * `setGlobalDispatcher` for Node's own fetch, from inside Jest.
 *
 * Jest runs a test file in a vm context with its own `globalThis`, so undici's `setGlobalDispatcher` writes its
 * symbols there while Node's bundled fetch reads them on the process's real global. This copies what undici wrote
 * (`undici.globalDispatcher.1`, and `.2` that Node 26's fetch reads) onto the real global, which is what the same
 * call does outside Jest, and the undo puts both realms back.
 */
import { setGlobalDispatcher, type Dispatcher } from 'undici';

const SYMBOLS = [Symbol.for('undici.globalDispatcher.1'), Symbol.for('undici.globalDispatcher.2')] as const;

/** The process's real global, reached through a function of its realm (Node's fetch). */
const processGlobal = (fetch.constructor as FunctionConstructor)('return globalThis')() as Record<symbol, unknown>;
const testGlobal = globalThis as unknown as Record<symbol, unknown>;

function write(target: Record<symbol, unknown>, symbol: symbol, value: unknown): void {
  // undici defines these writable but not configurable.
  if (Object.prototype.hasOwnProperty.call(target, symbol)) target[symbol] = value;
  else Object.defineProperty(target, symbol, { value, writable: true, enumerable: false, configurable: false });
}

/** Makes `dispatcher` the one Node's global fetch uses; returns the undo. */
export function installGlobalDispatcher(dispatcher: Dispatcher): () => void {
  const saved = SYMBOLS.map((symbol) => [symbol, testGlobal[symbol], processGlobal[symbol]] as const);
  setGlobalDispatcher(dispatcher);
  for (const symbol of SYMBOLS) write(processGlobal, symbol, testGlobal[symbol]);
  return () => {
    for (const [symbol, inTest, inProcess] of saved) {
      write(testGlobal, symbol, inTest);
      write(processGlobal, symbol, inProcess);
    }
  };
}
