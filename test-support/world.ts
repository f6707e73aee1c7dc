/**
 * The servers every adapter test talks to, on 127.0.0.1: an authorization server, a protected API, and a
 * second origin to redirect to. Each world has its own token cache, so tests do not share tokens.
 */
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startDevServer,
  startEchoServer,
  startProtectedApi,
  type DevServer,
  type EchoServer,
  type ProtectedApi,
} from '@mca-oauth/dev-server';
import type { McaOptions } from '@mca-oauth/core';

export interface TestWorld {
  readonly auth: DevServer;
  readonly api: ProtectedApi;
  /** Another origin (another port): a redirect there leaves the match. */
  readonly elsewhere: EchoServer;
  /** Core options that match `${api.url}/api` and get tokens from `auth`. */
  options(extra?: Partial<McaOptions>): McaOptions;
  /** `${api.url}/api/redirect?to=…&status=…` */
  redirectUrl(to: string, status?: number): string;
  close(): Promise<void>;
}

export async function startTestWorld(): Promise<TestWorld> {
  const auth = await startDevServer();
  const api = await startProtectedApi({ server: auth });
  const elsewhere = await startEchoServer();
  return {
    auth,
    api,
    elsewhere,
    options: (extra = {}) => ({
      match: `${api.url}/api`,
      tokenEndpoint: auth.tokenEndpoint,
      clientId: DEFAULT_CLIENT_ID,
      secret: DEFAULT_CLIENT_SECRET,
      cacheSize: 10,
      env: {},
      ...extra,
    }),
    redirectUrl: (to, status = 302) => `${api.url}/api/redirect?${new URLSearchParams({ to, status: String(status) })}`,
    close: async () => {
      await Promise.all([auth.close(), api.close(), elsewhere.close()]);
    },
  };
}
