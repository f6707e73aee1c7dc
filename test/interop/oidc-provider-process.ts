/** Starts oidc-provider-server.mjs as a child process and talks to it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { closeIdleTokenConnections } from '@mca-oauth/core';
import { startProtectedApi, type ProtectedApi } from '@mca-oauth/dev-server';

export const RESOURCE = 'https://orders.interop.test/';
export const SCOPE = 'orders:read';
export const BASIC_CLIENT = { id: 'interop-basic', secret: 'interop-basic-secret-0123456789' };
export const JWT_CLIENT_ID = 'interop-private-key-jwt';

export interface RunningProvider {
  readonly issuer: string;
  readonly jwksUri: string;
  /** The private key of JWT_CLIENT_ID (PKCS#8 PEM), as that client would hold it. */
  readonly clientKeyPem: string;
  /** The provider's public signing keys, for a verifier that cannot fetch them (an https provider with its own CA). */
  readonly jwks: { keys: Record<string, unknown>[] };
  /** Tokens the provider granted, per client id. */
  issued(clientId: string): Promise<number>;
  /** Every token request so far: the DPoP proof it sent, the status, `DPoP-Nonce` and JSON body it got. */
  tokenExchanges(): Promise<TokenExchange[]>;
  /** Token exchanges the provider granted, per user. */
  exchanged(sub: string): Promise<number>;
  /** A user's token for the middle tier, signed by the provider's stand-in identity provider. */
  userToken(sub: string, ttlSec?: number): Promise<string>;
  close(): Promise<void>;
}

export interface TokenExchange {
  proof: string | null;
  status: number;
  dpopNonce: string | null;
  body: Record<string, unknown> | null;
}

/** https and RFC 8705 clients (see oidc-provider-server.mjs). */
export interface ProviderTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  readonly tlsClient: { readonly id: string; readonly subject: string };
  readonly selfSignedClient: { readonly id: string; readonly cert: string };
}

/**
 * `tls`: serve https with RFC 8705 clients. `requireDpopNonce`: oidc-provider's `features.dPoP` with `nonceSecret`
 * and `requireNonce` (RFC 9449 §8).
 */
export async function startOidcProvider(tls?: ProviderTls, options: { requireDpopNonce?: boolean } = {}): Promise<RunningProvider> {
  const script = fileURLToPath(new URL('./oidc-provider-server.mjs', import.meta.url));
  const args = [script, RESOURCE, SCOPE, BASIC_CLIENT.id, BASIC_CLIENT.secret, JWT_CLIENT_ID, ...(options.requireDpopNonce ? ['dpop-nonce'] : [])];
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...(tls !== undefined && { INTEROP_TLS: JSON.stringify(tls) }) },
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`oidc-provider exited early (${code})`)));
  });
  const { issuer, clientKeyPem, jwks } = JSON.parse(firstLine) as { issuer: string; clientKeyPem: string; jwks: RunningProvider['jwks'] };
  return {
    issuer,
    jwks,
    jwksUri: `${issuer}/jwks`,
    clientKeyPem,
    tokenExchanges: async () => (await (await fetch(`${issuer}/__interop/token-exchanges`)).json()) as TokenExchange[],
    issued: async (clientId) => ((await (await fetch(`${issuer}/__interop/issued`)).json()) as Record<string, number>)[clientId] ?? 0,
    exchanged: async (sub) => ((await (await fetch(`${issuer}/__interop/exchanged`)).json()) as Record<string, number>)[sub] ?? 0,
    userToken: async (sub, ttlSec = 600) => (await fetch(`${issuer}/__interop/user-token?${new URLSearchParams({ sub, ttl: String(ttlSec) })}`)).text(),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * For a test file: oidc-provider in its process and a protected API that verifies its tokens (RESOURCE, SCOPE),
 * started before all and closed after all. Read them in tests, not at collection time.
 */
export function useOidcProviderAndApi(): { readonly provider: RunningProvider; readonly api: ProtectedApi } {
  const holder = {} as { provider: RunningProvider; api: ProtectedApi };
  beforeAll(async () => {
    holder.provider = await startOidcProvider();
    holder.api = await startProtectedApi({ jwksUri: holder.provider.jwksUri, issuer: holder.provider.issuer, audience: RESOURCE, requiredScopes: [SCOPE] });
  });
  afterAll(async () => {
    await holder.api?.close();
    await holder.provider?.close();
    closeIdleTokenConnections();
  });
  return holder;
}
