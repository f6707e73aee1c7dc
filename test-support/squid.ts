/**
 * A real forward proxy for tests: Debian's squid, started with its own configuration on a free 127.0.0.1
 * port, its own log and pid files in a temporary directory, in the foreground (`-N`), optionally with Basic
 * proxy authentication (`basic_ncsa_auth` over an htpasswd file made here). `.ci/run` installs squid.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

const SQUID = ['/usr/sbin/squid', '/usr/bin/squid'].find((path) => existsSync(path)) ?? 'squid';
const NCSA_AUTH = '/usr/lib/squid/basic_ncsa_auth';

export interface SquidOptions {
  /** Require `Proxy-Authorization: Basic` with these credentials (others get 407). */
  credentials?: { user: string; password: string };
  /** Host names squid resolves itself (its `hosts_file`), e.g. `{ 'idp.corp.test': '127.0.0.1' }`. */
  hosts?: Record<string, string>;
}

export interface LogEntry {
  /** `TCP_TUNNEL`, `TCP_DENIED`, `TCP_MISS`, ... */
  readonly action: string;
  readonly status: number;
  /** `CONNECT`, `GET`, `POST`, ... */
  readonly method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  readonly target: string;
}

export interface RunningSquid {
  /** `http://127.0.0.1:P` (without credentials). */
  readonly origin: string;
  readonly port: number;
  /** `http://user:password@127.0.0.1:P` when credentials are set, else `origin`. */
  readonly url: string;
  /**
   * The transactions squid logged (not connections that never sent a request). Squid logs a CONNECT when its
   * tunnel closes: close the client's idle connections first; this waits until at least `atLeast` entries are
   * there (or five seconds pass).
   */
  log(atLeast?: number): Promise<LogEntry[]>;
  close(): Promise<void>;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** An htpasswd line with an Apache MD5 hash, which basic_ncsa_auth reads. */
function htpasswdLine(user: string, password: string): string {
  const hash = execFileSync('openssl', ['passwd', '-apr1', '-stdin'], { input: password }).toString().trim();
  return `${user}:${hash}\n`;
}

function parseLog(text: string): LogEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      // squid's native format: time elapsed client action/status bytes method target user hierarchy type
      const fields = line.trim().split(/\s+/);
      const [action = '', status = '0'] = (fields[3] ?? '').split('/');
      return { action, status: Number(status), method: fields[5] ?? '', target: fields[6] ?? '' };
    })
    .filter((entry) => !isConnectionWithoutRequest(entry));
}

/**
 * Squid also logs a connection that closed before sending a request (`NONE_NONE/000 - error:transaction-end-before-headers`):
 * our readiness probe, which connects and hangs up. It reaches the log whenever squid flushes it, so it could land
 * after a test counted the entries before its request. It is not a transaction: left out.
 */
function isConnectionWithoutRequest(entry: LogEntry): boolean {
  return entry.method === '-' && entry.target.startsWith('error:transaction-end-before-headers');
}

export async function startSquid(options: SquidOptions = {}): Promise<RunningSquid> {
  const directory = mkdtempSync(join(tmpdir(), 'mca-squid-'));
  // Started as root, squid drops to its effective user (proxy), which must write the logs here.
  chmodSync(directory, 0o777);
  const port = await freePort();
  const hosts = Object.entries(options.hosts ?? {}).map(([name, address]) => `${address} ${name}\n`).join('');
  writeFileSync(join(directory, 'hosts'), `127.0.0.1 localhost\n${hosts}`, { mode: 0o644 });
  const auth = options.credentials;
  if (auth !== undefined) writeFileSync(join(directory, 'htpasswd'), htpasswdLine(auth.user, auth.password), { mode: 0o644 });
  const config = [
    `http_port 127.0.0.1:${port}`,
    `pid_filename ${join(directory, 'squid.pid')}`,
    `access_log stdio:${join(directory, 'access.log')} squid`,
    `cache_log ${join(directory, 'cache.log')}`,
    'cache_store_log none',
    'netdb_filename none',
    `coredump_dir ${directory}`,
    `hosts_file ${join(directory, 'hosts')}`,
    'cache deny all',
    'cache_mem 8 MB',
    'pinger_enable off',
    'shutdown_lifetime 0 seconds',
    'visible_hostname mca-oauth-test-proxy',
    // Any port: the endpoints under test listen on ephemeral ports, not 443.
    ...(auth === undefined
      ? ['http_access allow all']
      : [
          `auth_param basic program ${NCSA_AUTH} ${join(directory, 'htpasswd')}`,
          'auth_param basic realm mca-oauth-test',
          'acl authenticated proxy_auth REQUIRED',
          'http_access allow authenticated',
          'http_access deny all',
        ]),
  ].join('\n');
  const configFile = join(directory, 'squid.conf');
  writeFileSync(configFile, `${config}\n`, { mode: 0o644 });

  const child: ChildProcess = spawn(SQUID, ['-N', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const cacheLog = existsSync(join(directory, 'cache.log')) ? readFileSync(join(directory, 'cache.log'), 'utf8') : '';
      rmSync(directory, { recursive: true, force: true });
      throw new Error(`squid did not start: ${stderr}${cacheLog}`.slice(0, 4000));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const origin = `http://127.0.0.1:${port}`;
  const readLog = (): LogEntry[] => {
    const path = join(directory, 'access.log');
    return existsSync(path) ? parseLog(readFileSync(path, 'utf8')) : [];
  };
  return {
    origin,
    port,
    url: auth === undefined ? origin : `http://${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@127.0.0.1:${port}`,
    async log(atLeast = 0) {
      const until = Date.now() + 5_000;
      let entries = readLog();
      while (entries.length < atLeast && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        entries = readLog();
      }
      return entries;
    },
    async close() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
