/**
 * The servers of the network tests, on 127.0.0.1: an https dev server whose certificate also names
 * `idp.corp.test` (a name only the proxy resolves, so that only a proxied request can reach it), a plain
 * http one, and squid twice: open, and with Basic proxy authentication.
 */
import { closeIdleTokenConnections, createStamper, createTokenCache, type McaOptions } from '@mca-oauth/core';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startDevServer, type DevServer } from '@mca-oauth/dev-server';
import { startSquid, type LogEntry, type RunningSquid } from '../../test-support/squid.js';

export const CORPORATE_HOST = 'idp.corp.test';
export const PROXY_USER = 'proxy-user';
/** Random per run: it can only show up in output by leaking. */
export const PROXY_PASSWORD = `p${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

export interface NetworkWorld {
  readonly secureAuth: DevServer;
  readonly plainAuth: DevServer;
  readonly squid: RunningSquid;
  readonly guardedSquid: RunningSquid;
  /** `https://idp.corp.test:P/oauth2/token` of `secureAuth`. */
  readonly corporateTokenEndpoint: string;
  /** `http://idp.corp.test:P/oauth2/token` of `plainAuth`. */
  readonly plainCorporateTokenEndpoint: string;
  close(): Promise<void>;
}

export const MATCH = 'https://orders.example.com/api/';

export async function startNetworkWorld(): Promise<NetworkWorld> {
  const [secureAuth, plainAuth, squid, guardedSquid] = await Promise.all([
    startDevServer({ https: { hostnames: [CORPORATE_HOST] } }),
    startDevServer(),
    startSquid({ hosts: { [CORPORATE_HOST]: '127.0.0.1' } }),
    startSquid({ hosts: { [CORPORATE_HOST]: '127.0.0.1' }, credentials: { user: PROXY_USER, password: PROXY_PASSWORD } }),
  ]);
  const corporate = (server: DevServer): string => {
    const url = new URL(server.tokenEndpoint);
    url.hostname = CORPORATE_HOST;
    return url.href;
  };
  return {
    secureAuth,
    plainAuth,
    squid,
    guardedSquid,
    corporateTokenEndpoint: corporate(secureAuth),
    plainCorporateTokenEndpoint: corporate(plainAuth),
    async close() {
      closeIdleTokenConnections();
      await Promise.all([secureAuth.close(), plainAuth.close(), squid.close(), guardedSquid.close()]);
    },
  };
}

/** One token request with these options (a fresh cache), settled: the header, or the error. */
export async function tokenOutcome(options: McaOptions): Promise<{ authorization?: string; error?: unknown }> {
  const stamper = createStamper({
    match: MATCH,
    clientId: DEFAULT_CLIENT_ID,
    secret: DEFAULT_CLIENT_SECRET,
    timeoutMs: 5_000,
    cache: createTokenCache(),
    ...options,
  });
  try {
    return { authorization: await stamper.authorizationFor(`${MATCH}orders`) };
  } catch (error) {
    return { error };
  } finally {
    // Squid logs a tunnel when it closes.
    closeIdleTokenConnections();
  }
}

/** What squid logged since `before` entries. */
export async function newEntries(squid: RunningSquid, before: number, expected = 1): Promise<LogEntry[]> {
  return (await squid.log(before + expected)).slice(before);
}
