// One variant of the DPoP section, alone in a fresh process (as section 1b: V8 shapes the code it runs, so
// neighbours would shape each other's). Argument: JSON `{ variant, timeMs, tokenEndpoint, scope, pem }`, or
// `{ countHashes: true, hits, ... }` for 8c, or `{ interleaved: [variants], slicesPerSide, sliceMs, ... }` for 8a's
// verdict (one round of mirrored slices, see dpop.mjs). Prints one JSON line: `{ cpuNs, wallNs, ops }` per
// request, the hash counts, or `{ cpuNs: { variant: ns } }` for the round.
import { performance } from 'node:perf_hooks';
import { countHashes, dpopTask } from './dpop-tasks.mjs';

const BATCH = 50;

/** CPU (process.cpuUsage: every thread, so WebCrypto's thread-pool signing counts too) and wall time per call. */
async function measure(task, timeMs) {
  let ops = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  while (performance.now() - started < timeMs) {
    for (let i = 0; i < BATCH; i++) {
      const pending = task();
      if (typeof pending?.then === 'function') await pending;
    }
    ops += BATCH;
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuNs: ((cpu.user + cpu.system) * 1000) / ops, wallNs: (wallMs * 1e6) / ops, ops };
}

/**
 * One round of 8a: the variants take turns in mirrored slices (A B C C B A …), so a drift of the machine falls on
 * all of them alike; CPU per call summed over each variant's slices.
 */
async function interleaved(variants, { slicesPerSide, sliceMs, warmupMs }) {
  const tasks = [];
  for (const variant of variants) tasks.push(await dpopTask(variant, args));
  for (const task of tasks) await measure(task, warmupMs);
  const totals = variants.map(() => ({ cpuNs: 0, ops: 0 }));
  for (let slice = 0; slice < 2 * slicesPerSide; slice++) {
    const order = slice % 2 === 0 ? variants.keys() : [...variants.keys()].reverse();
    for (const index of order) {
      const { cpuNs, ops } = await measure(tasks[index], sliceMs);
      totals[index].cpuNs += cpuNs * ops;
      totals[index].ops += ops;
    }
  }
  return { cpuNs: Object.fromEntries(variants.map((variant, i) => [variant, totals[i].cpuNs / totals[i].ops])) };
}

const args = JSON.parse(process.argv[2]);
if (args.interleaved) {
  console.log(JSON.stringify(await interleaved(args.interleaved, args)));
} else if (args.countHashes) {
  console.log(JSON.stringify(await countHashes(args)));
} else {
  const task = await dpopTask(args.variant, args);
  // Warm up (V8 tiers, the key's first use) for a fifth of the measured time, at least 50 ms.
  await measure(task, Math.max(50, args.timeMs / 5));
  console.log(JSON.stringify(await measure(task, args.timeMs)));
}
