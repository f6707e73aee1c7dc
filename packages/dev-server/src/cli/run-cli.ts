/** The CLI's logic, apart from process wiring so tests can run it in-process. */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readConfigFile } from '../server/config-file.js';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID } from '../server/defaults.js';
import { authMethodsOf } from '../server/clients.js';
import { startDevServer, type DevServer, type DevServerOptions } from '../server/start-dev-server.js';
import { startProtectedApi, type ProtectedApi } from '../protected-api/start-protected-api.js';
import { clientSnippets, curlSnippet } from './snippets.js';

export const USAGE = `Usage: mca-dev-server [--port <n>] [--api-port <n>] [--config <file.json>] [--ttl <seconds>] [--alg RS256|ES256|EdDSA]
                      [--dpop-nonce] [--dpop-nonce-rotation <n>]
                      [--https [--require-client-certificate] [--ca-out <file.pem>]]

A local OAuth 2.0 / MCA authorization server on 127.0.0.1, and a protected API that accepts its tokens,
for demos, tests and benchmarks.
  --port      TCP port of the authorization server (default 0: any free port)
  --api-port  TCP port of the protected API (default 0: any free port)
  --config  JSON file with clients, tokenTtl, defaultAudience, signingAlg
  --ttl     access-token lifetime in seconds (overrides the config file)
  --alg     signing algorithm of OAuth tokens (MCA tokens are always RS256)
  --dpop-nonce           require a server nonce in DPoP proofs at the token endpoints (RFC 9449 §8)
  --dpop-nonce-rotation  rotate that nonce after every n accepted proofs (default 0: never)
  --https   serve https with a certificate from a CA made at start (its PEM is printed)
  --require-client-certificate   refuse requests whose TLS connection has no client certificate
  --ca-out  also write the CA's PEM to this file (for MCA_CA_FILE)
  --help    show this text`;

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new TypeError(`${flag} must be a non-negative integer, got ${value}`);
  return Number(value);
}

/** Lines printed once the server listens: where everything is, credentials, and examples to copy. */
export function banner(server: DevServer, api?: ProtectedApi): string {
  const clients = server.clients.list();
  const lines = [
    `mca-oauth dev server listening on ${server.url}`,
    '',
    `  issuer            ${server.issuer}`,
    `  OAuth token       ${server.tokenEndpoint}`,
    `  MCA token         ${server.mcaTokenEndpoint(DEFAULT_TENANT_ID)}   (any tenant id)`,
    `  MCA public key    ${server.mcaPublicKeyEndpoint(DEFAULT_TENANT_ID)}`,
    `  JWKS              ${server.jwksUri}`,
    `  RFC 8414          ${server.metadataUrl}`,
    `  OpenID discovery  ${server.openidConfigurationUrl}`,
    `  admin             ${server.url}/__admin/stats  ${server.url}/__admin/faults`,
    `  token lifetime    ${server.tokenTtl} s`,
    `  DPoP              proofs → DPoP-bound tokens; nonce ${server.dpop.requireNonce ? `required${server.dpop.nonceRotation > 0 ? `, rotated every ${server.dpop.nonceRotation}` : ''}` : 'not required'}  (${server.url}/__admin/dpop)`,
    ...(server.mtlsTokenEndpoint === undefined ? [] : [`  mTLS token        ${server.mtlsTokenEndpoint}   (RFC 8705 certificate clients)`]),
    ...(server.ca === undefined ? [] : ['', 'CA (trust it: MCA_CA_FILE or tls.ca):', server.ca.trimEnd()]),
    ...(api === undefined ? [] : [`  protected API     ${api.url}/api/echo   (wants a token; ${api.url}/public/echo does not)`]),
    '',
    'Clients:',
  ];
  for (const client of clients) {
    // Only the published default secret is printed; a configured one stays in its file.
    const secret = client.id === DEFAULT_CLIENT_ID && client.secret === DEFAULT_CLIENT_SECRET ? `  client_secret=${client.secret}` : '';
    lines.push(`  client_id=${client.id}${secret}  (${authMethodsOf(client).join(', ')}; scopes: ${client.scopes?.join(' ') ?? 'any'})`);
  }
  if (clients.some((c) => c.id === DEFAULT_CLIENT_ID)) {
    lines.push(
      '',
      'Try:',
      `  curl -s ${server.ca === undefined ? '' : '--cacert <the CA above, saved to a file> '}-u ${DEFAULT_CLIENT_ID}:${DEFAULT_CLIENT_SECRET} -d grant_type=client_credentials -d scope=read ${server.tokenEndpoint}`,
    );
    // The examples trust Node's CA list; under --https the CA printed above must be trusted first.
    if (api !== undefined && server.ca === undefined) lines.push(...examples(server, api));
  }
  lines.push('', 'Ctrl-C to stop.');
  return lines.join('\n');
}

function examples(server: DevServer, api: ProtectedApi): string[] {
  const target = { tokenEndpoint: server.tokenEndpoint, apiUrl: api.url, clientId: DEFAULT_CLIENT_ID, secret: DEFAULT_CLIENT_SECRET };
  const lines = ['', 'Call the protected API with a token:', `  ${curlSnippet(target)}`];
  for (const snippet of clientSnippets(target)) {
    lines.push('', `With ${snippet.name} (${snippet.install}; save as try-${snippet.name}.mjs, run node try-${snippet.name}.mjs):`);
    lines.push(...snippet.code.split('\n').map((line) => `  ${line}`));
  }
  return lines;
}

export interface CliResult {
  /** The running server, or undefined when the CLI only printed help. */
  server?: DevServer;
  /** The protected API beside it. */
  api?: ProtectedApi;
}

/** Parses `args`, starts the server and prints the banner with `print`. Throws on bad arguments. */
export async function runCli(args: readonly string[], print: (text: string) => void): Promise<CliResult> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: 'string' },
      'api-port': { type: 'string' },
      config: { type: 'string' },
      ttl: { type: 'string' },
      alg: { type: 'string' },
      'dpop-nonce': { type: 'boolean' },
      'dpop-nonce-rotation': { type: 'string' },
      https: { type: 'boolean' },
      'require-client-certificate': { type: 'boolean' },
      'ca-out': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    print(USAGE);
    return {};
  }
  const options: DevServerOptions = values.config ? await readConfigFile(values.config) : {};
  const port = integer(values.port, '--port');
  const ttl = integer(values.ttl, '--ttl');
  if (port !== undefined) options.port = port;
  if (ttl !== undefined) options.tokenTtl = ttl;
  if (values.alg !== undefined) options.signingAlg = values.alg as DevServerOptions['signingAlg'];
  const nonceRotation = integer(values['dpop-nonce-rotation'], '--dpop-nonce-rotation');
  if (values['dpop-nonce'] || nonceRotation !== undefined) {
    options.dpop = {
      ...options.dpop,
      ...(values['dpop-nonce'] ? { requireNonce: true } : {}),
      ...(nonceRotation === undefined ? {} : { nonceRotation }),
    };
  }
  if (values.https === true) options.https = options.https ?? true;
  if (values['require-client-certificate'] === true) options.requireClientCertificate = true;
  const apiPort = integer(values['api-port'], '--api-port');
  const server = await startDevServer(options);
  let api: ProtectedApi;
  try {
    if (values['ca-out'] !== undefined) {
      if (server.ca === undefined) throw new TypeError('--ca-out needs --https');
      await writeFile(values['ca-out'], server.ca);
    }
    api = await startProtectedApi({ server, ...(apiPort !== undefined && { port: apiPort }) });
  } catch (error) {
    await server.close();
    throw error;
  }
  print(banner(server, api));
  return { server, api };
}
