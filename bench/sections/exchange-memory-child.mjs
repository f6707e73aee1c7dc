// Section 7's memory measurement, in a process of its own started with --expose-gc (see exchange.mjs).
// Phase 1: USERS distinct users, each one incoming request (onBehalfOf) that exchanges their token through one
// stamper whose cache holds CACHE tokens; their tokens are fetched from the dev server in batches and dropped
// as we go. Heap after forced GC at 10% and 100% of the users: it must not grow with the users.
// Phase 2: cache-hit stampings for the CACHE users cached last, each its own onBehalfOf (as an incoming request
// with one outbound call); heap after 1% of them and after all. Prints one JSON line.
// Arguments: serverUrl tokenEndpoint users cacheSize stampings prefix.
import diagnostics from 'node:diagnostics_channel';
import { createStamper, createTokenCache, onBehalfOf, CHANNEL_NAMES } from '@mca-oauth/core';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@mca-oauth/dev-server';
import { heapMiB, measureHitStampings } from '../lib/heap.mjs';
import { userTokens } from './exchange.mjs';

const [serverUrl, tokenEndpoint, usersArg, cacheArg, stampingsArg, prefix] = process.argv.slice(2);
const USERS = Number(usersArg);
const CACHE = Number(cacheArg);
const STAMPINGS = Number(stampingsArg);
const CONCURRENCY = 32;
const BATCH = 1000;
const URL_STRING = 'http://127.0.0.1:9/api/orders/42';


let exchanges = 0;
let tokenErrors = 0;
diagnostics.subscribe(CHANNEL_NAMES.tokenRequestEnd, () => exchanges++);
diagnostics.subscribe(CHANNEL_NAMES.tokenRequestError, () => tokenErrors++);

const cache = createTokenCache({ max: CACHE });
const stamper = createStamper({
  routes: [{ match: 'http://127.0.0.1:9/api/', exchange: {} }],
  tokenEndpoint,
  clientId: DEFAULT_CLIENT_ID,
  secret: DEFAULT_CLIENT_SECRET,
  cache,
  env: {},
});

const kept = new Array(CACHE);
let completed = 0;
const heap = { baseline: heapMiB() };
const started = performance.now();
const checkpoint = Math.max(BATCH, Math.floor(USERS / 10));
for (let from = 0; from < USERS; from += BATCH) {
  const batch = await userTokens(serverUrl, prefix, Math.min(BATCH, USERS - from), from);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batch.length) {
        const subject = batch[next++];
        await onBehalfOf(subject, () => stamper.authorizationFor(URL_STRING));
        // In completion order: the last CACHE completions are what the cache holds at the end.
        kept[completed++ % CACHE] = subject;
      }
    }),
  );
  if (from + BATCH === checkpoint) heap.afterTenPercentUsers = heapMiB();
}
heap.afterTenPercentUsers ??= heap.baseline;
heap.afterAllUsers = heapMiB();
const usersSeconds = (performance.now() - started) / 1000;
const cacheSizeAfterUsers = cache.size;

const { misses } = measureHitStampings((i) => onBehalfOf(kept[i % CACHE], () => stamper.authorizationFor(URL_STRING)), STAMPINGS, heap);

const r = (x) => Number(x.toFixed(2));
console.log(
  JSON.stringify({
    users: USERS,
    cacheSize: CACHE,
    stampings: STAMPINGS,
    exchanges,
    tokenErrors,
    usersSeconds: r(usersSeconds),
    cacheSizeAfterUsers,
    hitMisses: misses,
    heapMiB: Object.fromEntries(Object.entries(heap).map(([k, v]) => [k, r(v)])),
    usersGrowth: r(heap.afterAllUsers / heap.afterTenPercentUsers),
    stampingsGrowth: Number((heap.afterAllStampings / heap.afterWarmStampings).toFixed(4)),
  }),
);
