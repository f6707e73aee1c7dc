// Heap after forced garbage collection, for the memory sections' children (started with --expose-gc).

export function heapMiB() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}
