// What a result depends on besides the code: Node, the clients' versions, the machine.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

const require = createRequire(import.meta.url);

function versionOf(name) {
  // Some packages do not export ./package.json: find it next to the resolved entry point instead.
  let dir = require.resolve(name);
  for (;;) {
    const next = dir.slice(0, dir.lastIndexOf('/'));
    if (next === dir || next === '') return null;
    dir = next;
    try {
      const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
      if (pkg.name === name) return pkg.version;
    } catch {
      // not here; keep climbing
    }
  }
}

const CLIENT_PACKAGES = ['axios', 'got', 'undici', 'axios-oauth-client', 'axios-token-interceptor', '@badgateway/oauth2-client', 'tinybench'];

export function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    // Global fetch is Node's bundled undici, not the npm one.
    bundledUndici: process.versions.undici ?? null,
    clients: Object.fromEntries(CLIENT_PACKAGES.map((name) => [name, versionOf(name)])),
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}
