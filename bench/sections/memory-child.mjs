// Section 5's measurement, in a process of its own started with --expose-gc (see memory.mjs).
// Phase 1: KEYS distinct keys (one stamper each, a distinct scope, one shared cache of CACHE tokens),
// each fetched once; stampers are dropped as we go, as an app that stops using a key would, except the
// CACHE whose tokens arrived last. Heap after forced GC at 10% and 100% of the keys: it must not grow
// with the keys.
// Phase 2: cache-hit stampings round robin over the cached keys; heap after 1% of them and after all.
// Prints one JSON line. Arguments: tokenEndpoint keys cacheSize stampings.
import { createStamper, createTokenCache, CHANNEL_NAMES } from '@mca-oauth/core';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@mca-oauth/dev-server';
import diagnostics from 'node:diagnostics_channel';
import { heapMiB, measureHitStampings } from '../lib/heap.mjs';

const [tokenEndpoint, keysArg, cacheArg, stampingsArg] = process.argv.slice(2);
const KEYS = Number(keysArg);
const CACHE = Number(cacheArg);
const STAMPINGS = Number(stampingsArg);
const CONCURRENCY = 32;
const MATCH = 'http://127.0.0.1:9/api/';
const URL_STRING = 'http://127.0.0.1:9/api/orders/42';


let tokenRequests = 0;
let tokenErrors = 0;
diagnostics.subscribe(CHANNEL_NAMES.tokenRequestEnd, () => tokenRequests++);
diagnostics.subscribe(CHANNEL_NAMES.tokenRequestError, () => tokenErrors++);

const cache = createTokenCache({ max: CACHE });
const run = Date.now().toString(36);
const stamperFor = (k) =>
  createStamper({ match: MATCH, tokenEndpoint, clientId: DEFAULT_CLIENT_ID, secret: DEFAULT_CLIENT_SECRET, scope: `bench:memory:${run}:${k}`, cache });

const kept = new Array(CACHE);
const heap = { baseline: heapMiB() };
let next = 0;
let completed = 0;
const checkpoint = Math.max(1, Math.floor(KEYS / 10));
const started = performance.now();
/** Fetches keys `next`… up to `limit`, CONCURRENCY at a time; then nothing is in flight. */
const until = (limit) =>
  Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < limit) {
        const k = next++;
        const stamper = stamperFor(k);
        await stamper.authorizationFor(URL_STRING);
        // In completion order: the last CACHE completions are exactly what the cache holds at the end.
        kept[completed++ % CACHE] = stamper;
      }
    }),
  );
await until(checkpoint);
heap.afterTenPercentKeys = heapMiB();
await until(KEYS);
heap.afterAllKeys = heapMiB();
const keysSeconds = (performance.now() - started) / 1000;
const cacheSizeAfterKeys = cache.size;

// Phase 2: every kept stamper's key is among the CACHE most recent, so each call is a synchronous hit.
const { misses, warm } = measureHitStampings((i) => kept[i % CACHE].authorizationFor(URL_STRING), STAMPINGS, heap);

const r = (x) => Number(x.toFixed(2));
console.log(
  JSON.stringify({
    keys: KEYS,
    cacheSize: CACHE,
    stampings: STAMPINGS,
    warmStampings: warm,
    tokenRequests,
    tokenErrors,
    keysSeconds: r(keysSeconds),
    cacheSizeAfterKeys,
    hitMisses: misses,
    heapMiB: Object.fromEntries(Object.entries(heap).map(([k, v]) => [k, r(v)])),
    keysGrowth: r(heap.afterAllKeys / heap.afterTenPercentKeys),
    stampingsGrowth: Number((heap.afterAllStampings / heap.afterWarmStampings).toFixed(4)),
  }),
);
