#!/usr/bin/env node
// `pnpm demo`: builds the packages quietly (their output is shown only if the build fails), then runs the demo,
// so the first thing a newcomer reads is the demo itself.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();
process.stdout.write('Building the packages (output shown only if the build fails)… ');
// pnpm is on PATH under `pnpm demo`; `npx pnpm` otherwise.
const [command, prefix] = process.env['npm_execpath']?.includes('pnpm')
  ? [process.execPath, [process.env['npm_execpath']]]
  : ['npx', ['--yes', 'pnpm@10.34.8']];
const build = spawnSync(command, [...prefix, '-r', '--filter', './packages/**', 'run', 'build'], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) {
  process.stdout.write('failed.\n\n');
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}${build.error ? String(build.error) : ''}\n`);
  process.exit(build.status ?? 1);
}
process.stdout.write(`done in ${((performance.now() - started) / 1000).toFixed(0)} s.\n\n`);
const demo = spawnSync(process.execPath, ['demo/run.mjs'], { cwd: root, stdio: 'inherit' });
process.exit(demo.status ?? 1);
