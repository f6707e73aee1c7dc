#!/usr/bin/env node
/** `mca-dev-server`: starts the dev server and the protected API, and stops both cleanly on Ctrl-C or SIGTERM. */
import { runCli, USAGE } from './cli/run-cli.js';
import type { DevServer } from './server/start-dev-server.js';
import type { ProtectedApi } from './protected-api/start-protected-api.js';

function stopOnSignals(server: DevServer, api: ProtectedApi | undefined): void {
  let stopping = false;
  const stop = (): void => {
    // A second Ctrl-C means "now": do not wait for sockets any longer.
    if (stopping) process.exit(130);
    stopping = true;
    Promise.all([server.close(), api?.close()]).then(
      () => process.stdout.write('dev server closed\n'),
      (error: unknown) => {
        process.stderr.write(`error while closing: ${String(error)}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// No top-level await: tsup also emits a CommonJS build of this entry.
runCli(process.argv.slice(2), (text) => process.stdout.write(`${text}\n`)).then(
  ({ server, api }) => server && stopOnSignals(server, api),
  (error: unknown) => {
    process.stderr.write(`mca-dev-server: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exitCode = 2;
  },
);
