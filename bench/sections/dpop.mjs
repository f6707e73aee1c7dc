// Section 7: DPoP (RFC 9449), what a proof on every request costs.
//
// 8a. Our whole proof (claims, encoding, signature, the origin's nonce) against its floor, a bare crypto.sign of
//     the same bytes with the same key. Target: ≤ 1.2× in CPU. The verdict comes from section 0's pair design:
//     `proofRounds` rounds, each a fresh process in which `ours proof` and `bare sign` take turns in mirrored
//     slices, beside one for the A/A pair `bare sign (A/A)` / `bare sign`. A ratio of ~1.2 is a few µs, less than
//     separate processes drift apart (the last full run with one process per
//     variant put `ours proof` 20 % above `ours DPoP`, which does the same and more). "met" only by the median of
//     the rounds, and only when the A/A band (min–max over rounds) is within ±2 %; otherwise "inconclusive".
// 8b. What DPoP adds per request in core (stamp + verdict, DPoP route minus bearer route) against what
//     oauth4webapi's DPoP handle adds to its protectedResourceRequest (with minus without). Target: ours ≥ 4×
//     cheaper in CPU.
//     The rows of 8a and 8b run as section 1b does: each variant alone in a fresh process (dpop-child.mjs), `processes`
//     processes per variant taking turns, the median over them; CPU per request from process.cpuUsage.
// 8c. `ath` is never recomputed on a cache hit: createHash calls counted while stamping (a count above zero is
//     a broken run).
// End to end, DPoP is measured in section 0 (pairs.mjs), the `+dpop` rows: each adapter with the `dpop` option
// against itself without, beside the client's A/A pair, a process per round.
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { jsonFromChild } from '../lib/child-json.mjs';
import { median, round, spread } from '../lib/stats.mjs';
import { VARIANTS } from './dpop-tasks.mjs';
import { isDecisive } from '../lib/verdict.mjs';

const CHILD = fileURLToPath(new URL('./dpop-child.mjs', import.meta.url));
const SCOPE = 'bench:dpop';

async function inChild(args) {
  return jsonFromChild(CHILD, args, { timeout: 120_000 });
}

/** Whether core has a public DPoP path, asked in a child so this process never loads a half-built core. */
async function dpopSupport(ctx) {
  try {
    const counts = await inChild({ ...ctx, countHashes: true, hits: ctx.hits });
    return counts.skipped === undefined ? { counts } : { skipped: counts.skipped };
  } catch (error) {
    const text = String(error?.stderr ?? error);
    if (/stampFor|dpop/i.test(text)) return { skipped: `core has no usable DPoP path: ${text.split('\n').find((l) => /Error/.test(l)) ?? text.slice(0, 200)}` };
    throw error;
  }
}

async function isolated(ctx, { timeMs, processes }, log) {
  log(`dpop: isolated, ${VARIANTS.length} variants × ${processes} processes × ${timeMs} ms`);
  const samples = Object.fromEntries(VARIANTS.map((v) => [v, { cpuNs: [], wallNs: [] }]));
  for (let pass = 0; pass < processes; pass++) {
    const first = pass % VARIANTS.length;
    for (const variant of [...VARIANTS.slice(first), ...VARIANTS.slice(0, first)]) {
      const { cpuNs, wallNs } = await inChild({ ...ctx, variant, timeMs });
      samples[variant].cpuNs.push(cpuNs);
      samples[variant].wallNs.push(wallNs);
    }
  }
  const cpu = (v) => median(samples[v].cpuNs);
  const wall = (v) => median(samples[v].wallNs);
  const rows = VARIANTS.map((v) => ({ variant: v, cpuNs: round(cpu(v), 0), wallNs: round(wall(v), 0), processes }));
  const proofRatio = cpu('ours proof') / cpu('bare sign');
  const oursAdded = cpu('ours DPoP') - cpu('ours Bearer');
  const theirsAdded = cpu('oauth4webapi DPoP') - cpu('oauth4webapi Bearer');
  return {
    rows,
    // Context only (one process per variant): 8a's verdict is proofOverFloor, measured interleaved.
    proofOverFloorSeparateProcesses: { ratio: round(proofRatio, 3), aaRatio: round(cpu('bare sign (A/A)') / cpu('bare sign'), 3) },
    addedByDpop: {
      oursNs: round(oursAdded, 0),
      oauth4webapiNs: round(theirsAdded, 0),
      ratio: round(theirsAdded / oursAdded, 2),
      target: 4,
      met: theirsAdded / oursAdded >= 4,
      // Context: the whole per-request work, not only what DPoP adds.
      wholeRequestRatio: round(cpu('oauth4webapi DPoP') / cpu('ours DPoP'), 2),
    },
  };
}

const PROOF_TARGET = 1.2;

/** One round of a pair: a fresh process where the two take turns in mirrored slices; CPU ns per call of each. */
async function proofRound(ctx, [a, b], flip, { slicesPerSide, proofSliceMs, warmupMs }) {
  const { cpuNs } = await inChild({ ...ctx, interleaved: flip ? [b, a] : [a, b], slicesPerSide, sliceMs: proofSliceMs, warmupMs });
  return { a: cpuNs[a], b: cpuNs[b] };
}

/**
 * 8a's verdict, in section 0's pair design: `proofRounds` rounds, each a process for `ours proof` / `bare sign`
 * and one for its A/A pair, `bare sign (A/A)` / `bare sign`, taking turns with each other.
 */
async function proofOverFloor(ctx, profile, log) {
  const { proofRounds, slicesPerSide, proofSliceMs } = profile;
  log(`dpop: 8a, ${proofRounds} rounds × 2 pairs × ${2 * slicesPerSide} mirrored slices of ${proofSliceMs} ms`);
  const ours = [];
  const aa = [];
  for (let i = 0; i < proofRounds; i++) {
    aa.push(await proofRound(ctx, ['bare sign (A/A)', 'bare sign'], i % 2 === 1, profile));
    ours.push(await proofRound(ctx, ['ours proof', 'bare sign'], i % 2 === 1, profile));
  }
  const ratio = spread(ours.map((r) => r.a / r.b));
  const aaBand = spread(aa.map((r) => r.a / r.b));
  const decisive = isDecisive(aaBand);
  return {
    ratio,
    aaBand,
    bareSignNs: round(median(ours.map((r) => r.b)), 0),
    oursProofNs: round(median(ours.map((r) => r.a)), 0),
    target: PROOF_TARGET,
    verdict: !decisive ? 'inconclusive' : ratio.median <= PROOF_TARGET ? 'met' : 'missed',
  };
}

/** `profile` = `{ timeMs, processes, hits, warmupMs, proofRounds, slicesPerSide, proofSliceMs }`. */
export async function runDpop(servers, profile, log) {
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  const ctx = { tokenEndpoint: servers.steady.tokenEndpoint, scope: SCOPE, pem, hits: profile.hits };
  const support = await dpopSupport(ctx);
  if (support.skipped !== undefined) {
    log(`dpop: skipped: ${support.skipped}`);
    return { skipped: support.skipped };
  }
  const ath = { ...support.counts, ok: support.counts.hashesDuringHits === 0 && support.counts.hashesDuringTokenFetch >= 1 && support.counts.distinctProofs === profile.hits };
  const isolatedResult = { ...(await isolated(ctx, profile, log)), proofOverFloor: await proofOverFloor(ctx, profile, log) };
  return { ...profile, ath, isolated: isolatedResult };
}
