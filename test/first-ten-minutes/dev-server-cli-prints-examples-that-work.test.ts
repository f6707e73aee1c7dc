/**
 * `npx @mca-oauth/dev-server` starts the protected API too, and what it prints can be pasted as it is: the curl line
 * is run by a shell, each client's snippet by node (against the built packages, as an app installs them).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli, type CliResult } from '../../packages/dev-server/src/cli/run-cli.js';
import { DEFAULT_CLIENT_ID } from '@mca-oauth/dev-server';

const run = promisify(execFile);
const repository = join(import.meta.dirname, '..', '..');

let started: CliResult;
let banner: string;
let scratch: string;
beforeAll(async () => {
  const printed: string[] = [];
  started = await runCli([], (text) => printed.push(text));
  banner = printed.join('\n');
  // A project of its own outside the repository whose node_modules are the demo's: the packages as installed.
  scratch = mkdtempSync(join(tmpdir(), 'mca-snippets-'));
  symlinkSync(join(repository, 'demo', 'node_modules'), join(scratch, 'node_modules'), 'dir');
});
afterAll(async () => {
  await Promise.all([started.server?.close(), started.api?.close()]);
  rmSync(scratch, { recursive: true, force: true });
});

/** The indented lines under the banner line that starts with `heading`. */
function block(heading: string): string {
  const lines = banner.split('\n');
  const start = lines.findIndex((line) => line.startsWith(heading));
  expect(start).toBeGreaterThanOrEqual(0);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break;
    body.push(line.slice(2));
  }
  return body.join('\n');
}

it('names the protected API beside the authorization server', () => {
  expect(banner).toContain(`${started.api!.url}/api/echo`);
});

it('prints a curl line that gets a token and calls the protected API with it', async () => {
  const line = block('Call the protected API with a token:');
  const { stdout } = await run('sh', ['-c', line], { timeout: 20_000 });
  const echo = JSON.parse(stdout) as { claims?: Record<string, unknown> };
  expect(echo.claims?.['client_id'] ?? echo.claims?.['sub']).toBe(DEFAULT_CLIENT_ID);
});

it.each(['axios', 'got', 'undici', 'fetch'])('prints a %s snippet that calls the protected API with a token', async (client) => {
  const file = join(scratch, `try-${client}.mjs`);
  writeFileSync(file, block(`With ${client} (`));
  const { stdout } = await run(process.execPath, [file], { cwd: scratch, timeout: 20_000, env: { PATH: process.env['PATH'] } });
  expect(stdout).toContain(DEFAULT_CLIENT_ID);
});
