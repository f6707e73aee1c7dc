// Section 5: memory stays bounded with many keys, and flat under cache hits. The measurement runs in a
// child started with --expose-gc (memory-child.mjs) so that forced GC is available and nothing the
// other sections allocated is in its heap.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lastJsonLine } from '../lib/child-json.mjs';

const CHILD = fileURLToPath(new URL('./memory-child.mjs', import.meta.url));

/** `profile` = `{ keys, cacheSize, stampings }`. */
export async function runMemory(servers, profile, log) {
  log(`memory: ${profile.keys} keys through a cache of ${profile.cacheSize}, then ${profile.stampings} cache-hit stampings`);
  const args = ['--expose-gc', CHILD, servers.rotating.tokenEndpoint, profile.keys, profile.cacheSize, profile.stampings].map(String);
  const stdout = await new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 1 << 20, timeout: 300_000 }, (error, out, err) =>
      error ? reject(new Error(`memory child failed: ${error.message}\n${err}`)) : resolve(out),
    );
  });
  const result = lastJsonLine(stdout);
  return {
    ...result,
    // Broken, not slow: more tokens cached than the bound, a failed token request, or a miss on a hit.
    ok: result.cacheSizeAfterKeys <= profile.cacheSize && result.tokenErrors === 0 && result.hitMisses === 0 && result.tokenRequests === profile.keys,
  };
}
