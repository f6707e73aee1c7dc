// One round of one pair of section 0, alone in a fresh process: two clients, A and B, take turns in slices of the
// same length, A B B A A B B A …, so that drift in the machine falls on both alike; odd rounds start with B.
// Argument: a JSON `{ a, b, ctx, sliceMs, slicesPerSide, round, warmupMs, concurrency }` (`round`: this round's
// number); prints a JSON `{ round: { a, b, slicePairs }, warmupRequests: { a, b }, failures }` as its last line,
// each side `{ requests, elapsedMs, cpuMicros }`, `slicePairs` the throughput ratio a/b of each two neighbouring
// slices (A B, then B A …): how noisy the machine is. `warmupRequests`: what each side sent before the
// measured slices, which the API counted too.
import { closedLoop } from '../lib/closed-loop.mjs';
import { createClient, restoreGlobalDispatcher } from '../lib/clients.mjs';

const { a, b, ctx, sliceMs, slicesPerSide, round, warmupMs, concurrency } = JSON.parse(process.argv[2]);
const clients = { a: createClient(a, ctx), b: createClient(b, ctx) };
const failures = [];

async function slice(side, durationMs) {
  const client = clients[side];
  client.activate();
  const result = await closedLoop(client, { concurrency, durationMs });
  if (result.failures > 0) failures.push(`${side === 'a' ? a : b}: ${result.failures} failed (${result.firstError ?? 'non-200'})`);
  return result;
}

try {
  // Warm-up, both sides twice: JIT, sockets, and the adapters' first token.
  const warmupRequests = { a: 0, b: 0 };
  for (const side of ['a', 'b', 'b', 'a']) warmupRequests[side] += (await slice(side, warmupMs / 2)).requests;
  const [first, second] = round % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
  const pattern = [first, second, second, first];
  const totals = { a: { requests: 0, elapsedMs: 0, cpuMicros: 0 }, b: { requests: 0, elapsedMs: 0, cpuMicros: 0 }, slicePairs: [] };
  const perSecond = {};
  for (let index = 0; index < 2 * slicesPerSide; index++) {
    const side = pattern[index % 4];
    const result = await slice(side, sliceMs);
    totals[side].requests += result.requests;
    totals[side].elapsedMs += result.elapsedMs;
    totals[side].cpuMicros += result.cpuMicros;
    perSecond[side] = result.requests / result.elapsedMs;
    if (index % 2 === 1) totals.slicePairs.push(perSecond.a / perSecond.b);
  }
  console.log(JSON.stringify({ round: totals, warmupRequests, failures }));
} finally {
  restoreGlobalDispatcher();
  await Promise.all([clients.a.close(), clients.b.close()]);
}
