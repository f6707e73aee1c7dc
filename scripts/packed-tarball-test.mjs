#!/usr/bin/env node
// Packs every package as it would be published, installs the tarballs into a scratch project outside the
// workspace (so no workspace link can hide a missing file, export or dependency), and runs an ESM and a
// CommonJS script against the dev server. Exits non-zero on any failure.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');
const scratch = mkdtempSync(join(tmpdir(), 'mca-packed-'));
const tarballs = join(scratch, 'tarballs');
const pnpm = ['--yes', 'pnpm@10.34.8'];

function run(command, args, cwd) {
  console.log(`$ ${command} ${args.join(' ')}   (in ${cwd})`);
  execFileSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, npm_config_loglevel: 'error' } });
}

try {
  const packages = readdirSync(packagesDir).filter((name) => existsSync(join(packagesDir, name, 'dist')));
  for (const name of packages) run('npx', [...pnpm, 'pack', '--pack-destination', tarballs], join(packagesDir, name));
  const files = Object.fromEntries(
    readdirSync(tarballs).map((file) => [`@mca-oauth/${file.replace(/^mca-oauth-/, '').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '')}`, `file:${join(tarballs, file)}`]),
  );
  const project = join(scratch, 'app');
  cpSync(join(root, 'scripts', 'packed'), project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'packed-tarball-check',
        private: true,
        dependencies: {
          ...files, axios: '^1.21.1', got: '^14.6.5', undici: '^7.30.2',
          // What an app with an OpenTelemetry SDK has installed, for @mca-oauth/opentelemetry.
          '@opentelemetry/api': '~1.9.1', '@opentelemetry/sdk-trace-base': '^2.12.1',
        },
        // The tarballs depend on each other by version; point those at the tarballs, not the registry.
        overrides: files,
      },
      null,
      2,
    ),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], project);
  run(process.execPath, ['esm-check.mjs'], project);
  run(process.execPath, ['cjs-check.cjs'], project);
  console.log('packed-tarball test: ok');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
