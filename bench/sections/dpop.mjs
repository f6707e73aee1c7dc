// Section 7: DPoP (RFC 9449), what a proof on every request costs.
//
// 8a. Our whole proof (claims, encoding, signature, the origin's nonce) against its floor, a bare crypto.sign of
//     the same bytes with the same key. Target: ≤ 1.2× in CPU.
// 8b. What DPoP adds per request in core (stamp + verdict, DPoP route minus bearer route) against what
//     oauth4webapi's DPoP handle adds to its protectedResourceRequest (with minus without). Target: ours ≥ 4×
//     cheaper in CPU.
//     8a and 8b run as section 1b does: each variant alone in a fresh process (dpop-child.mjs), `processes`
//     processes per variant taking turns, the median over them; CPU per request from process.cpuUsage.
// 8c. `ath` is never recomputed on a cache hit: createHash calls counted while stamping (a count above zero is
//     a broken run).
// 8d. End to end, per client: requests per CPU-second and per second with a DPoP route / with a bearer route,
//     in section 1's mirrored slices beside an A/A pair; context, no target. A client whose adapter sends no
//     proof yet is skipped with the reason.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from '../lib/clients.mjs';
import { median, round } from '../lib/stats.mjs';
import { runGroup } from './overhead.mjs';
import { VARIANTS } from './dpop-tasks.mjs';

const CHILD = fileURLToPath(new URL('./dpop-child.mjs', import.meta.url));
const run = promisify(execFile);
const SCOPE = 'bench:dpop';

const END_TO_END = [
  ['axios', 'axios mcaInterceptor'],
  ['got', 'got mcaHooks'],
  ['undici.request', 'undici mcaInterceptor'],
  ['fetch', 'fetch mcaInterceptor'],
];

async function inChild(args) {
  const { stdout } = await run(process.execPath, [CHILD, JSON.stringify(args)], { timeout: 120_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1));
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
    proofOverFloor: { ratio: round(proofRatio, 3), target: 1.2, met: proofRatio <= 1.2, aaRatio: round(cpu('bare sign (A/A)') / cpu('bare sign'), 3) },
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

async function endToEnd(servers, profile, log) {
  const groups = [];
  for (const [client, name] of END_TO_END) {
    const api = await servers.call('api', { name: `dpop-${client}`, server: 'steady' });
    const ctx = { api, tokenEndpoint: servers.steady.tokenEndpoint, scope: SCOPE };
    // A probe: one request through the DPoP variant must reach the API with a proof it accepts.
    const probe = createClient(`${name} +dpop`, { ...ctx, explicit: true });
    let status;
    try {
      probe.activate();
      status = await probe.send();
    } catch (error) {
      status = `error ${error?.code ?? error?.message ?? error}`;
    } finally {
      await probe.close();
    }
    const { accepted } = await servers.call('apiDpopStats', { name: `dpop-${client}` });
    if (status !== 200 || accepted === 0) {
      groups.push({ client, skipped: `the ${name} adapter sent no accepted DPoP proof (status ${status}): no DPoP in this adapter yet` });
      continue;
    }
    log(`dpop: end to end, ${client} (3 variants × ${profile.rounds} rounds)`);
    const group = {
      client,
      variants: { Bearer: name, 'Bearer (A/A)': name, DPoP: `${name} +dpop` },
      comparisons: [
        ['Bearer (A/A)', 'Bearer', null],
        ['DPoP', 'Bearer', null],
      ],
    };
    groups.push(await runGroup(group, ctx, profile, servers));
  }
  return groups;
}

/** `profile` = `{ timeMs, processes, hits, rounds, sliceMs, warmupMs }`. */
export async function runDpop(servers, profile, log) {
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  const ctx = { tokenEndpoint: servers.steady.tokenEndpoint, scope: SCOPE, pem, hits: profile.hits };
  const support = await dpopSupport(ctx);
  if (support.skipped !== undefined) {
    log(`dpop: skipped: ${support.skipped}`);
    return { skipped: support.skipped };
  }
  const ath = { ...support.counts, ok: support.counts.hashesDuringHits === 0 && support.counts.hashesDuringTokenFetch >= 1 && support.counts.distinctProofs === profile.hits };
  const isolatedResult = await isolated(ctx, profile, log);
  const endToEndGroups = await endToEnd(servers, profile, log);
  return { ...profile, ath, isolated: isolatedResult, endToEnd: endToEndGroups };
}
