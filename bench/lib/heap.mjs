// Heap after forced garbage collection, for the memory sections' children (started with --expose-gc).

export function heapMiB() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * Phase 2 of the memory sections: `stampings` cache hits, `stampOne(i)` each (a hit returns a string), with the
 * heap read after the first 1% (`heap.afterWarmStampings`) and after all (`heap.afterAllStampings`).
 * Returns `{ misses, warm }`: calls that did not return a string, and how many the first 1% was.
 */
export function measureHitStampings(stampOne, stampings, heap) {
  let misses = 0;
  const stamp = (count, offset) => {
    for (let i = 0; i < count; i++) if (typeof stampOne(offset + i) !== 'string') misses++;
  };
  const warm = Math.max(1, Math.floor(stampings / 100));
  stamp(warm, 0);
  heap.afterWarmStampings = heapMiB();
  stamp(stampings - warm, warm);
  heap.afterAllStampings = heapMiB();
  return { misses, warm };
}
