#!/usr/bin/env node
// The `mca-dev-server` bin: a file that exists before the build, so that installing the workspace links the bin
// without a warning; it runs the built CLI, or says how to build it.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (existsSync(cli)) {
  await import(cli.href);
} else {
  process.stderr.write('mca-dev-server is not built yet: run `npx --yes pnpm@10.34.8 -r --filter "./packages/**" run build`.\n');
  process.exitCode = 1;
}
