/**
 * The world of the token-exchange suite, on 127.0.0.1: the dev server (which accepts its own tokens for the
 * `middle-tier` audience as subjects), and the protected API. `userToken(sub)` mints a user's token as the
 * middle tier would receive it; `options()` routes `/api/user/` through token exchange and the rest of `/api/`
 * through client credentials.
 */
import { isMcaError, type McaOptions } from '@mca-oauth/core';
import type { ClientKind, FaultClient } from '../../faults/support/fault-clients.js';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startDevServer, startProtectedApi, type DevServer, type ProtectedApi } from '@mca-oauth/dev-server';

/** The `aud` of the users' own tokens: the service that receives them and exchanges them. */
export const MIDDLE_TIER = 'urn:mca-oauth:middle-tier';

export interface ExchangeWorld {
  readonly auth: DevServer;
  readonly api: ProtectedApi;
  /** A protected URL on the exchange route. */
  readonly userUrl: string;
  /** A protected URL on the client-credentials route. */
  readonly serviceUrl: string;
  /** A user's token, signed by the dev server for the middle tier; lives `ttlSec` seconds. */
  userToken(sub: string, ttlSec?: number): Promise<string>;
  options(extra?: Partial<McaOptions>): McaOptions;
  close(): Promise<void>;
}

export async function startExchangeWorld(): Promise<ExchangeWorld> {
  const auth = await startDevServer({ exchangeSubjectAudiences: [MIDDLE_TIER] });
  const api = await startProtectedApi({ server: auth });
  return {
    auth,
    api,
    userUrl: `${api.url}/api/user/echo`,
    serviceUrl: `${api.url}/api/echo`,
    async userToken(sub, ttlSec = 600) {
      const now = Math.floor(Date.now() / 1000);
      return auth.signToken({ iss: auth.issuer, sub, aud: MIDDLE_TIER, iat: now, exp: now + ttlSec, scope: 'profile' });
    },
    options: (extra = {}) => ({
      routes: [
        { match: `${api.url}/api/user/`, exchange: {}, audience: auth.defaultAudience },
        { match: `${api.url}/api/` },
      ],
      tokenEndpoint: auth.tokenEndpoint,
      clientId: DEFAULT_CLIENT_ID,
      secret: DEFAULT_CLIENT_SECRET,
      cacheSize: 2_000,
      env: {},
      ...extra,
    }),
    close: async () => {
      await Promise.all([auth.close(), api.close()]);
    },
  };
}

/**
 * One world for a test file: started before all, closed after all; before each test, exchange counts, switches
 * and the API's log and 401s on demand are reset. Read it in tests (`holder.world`), not at collection time.
 */
export function useExchangeWorld(): { readonly world: ExchangeWorld } {
  const holder = {} as { world: ExchangeWorld };
  beforeAll(async () => {
    holder.world = await startExchangeWorld();
  });
  afterAll(() => holder.world?.close());
  beforeEach(() => {
    holder.world.auth.exchange.reset();
    holder.world.api.rejectNext(0);
    holder.world.api.received.clear();
  });
  return holder;
}

/** Runs `use` with a client of `kind` made from `options`, and closes it after. */
export async function withClient<T>(kind: ClientKind, options: McaOptions, use: (client: FaultClient) => Promise<T>): Promise<T> {
  const client = kind.create(options);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/** The `sub` and `act.sub` of the token the API received (decoded, not verified: the API verified it). */
export function whoIsIn(authorization: string | undefined): { sub: unknown; actor: unknown } {
  if (authorization === undefined) return { sub: undefined, actor: undefined };
  const payload = authorization.replace(/^Bearer /, '').split('.')[1] ?? '';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { sub: claims.sub, actor: (claims.act as { sub?: unknown } | undefined)?.sub };
}

/**
 * The McaError code a caller's error carries, whatever the client. Node's fetch keeps a cause only if it is an
 * Error of Node's realm, so inside Jest its cause is an Error with the McaError's text: matched on the text here.
 */
export function mcaCodeOf(error: unknown): string | undefined {
  if (isMcaError(error)) return error.code;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (isMcaError(cause)) return cause.code;
  const text = String((cause as { message?: unknown } | undefined)?.message ?? '');
  if (text.includes('runs outside onBehalfOf()')) return 'MCA_NO_SUBJECT_TOKEN';
  if (text.includes('onBehalfOf() is not a usable bearer token') || text.includes('onBehalfOf has expired')) return 'MCA_INVALID_SUBJECT_TOKEN';
  if (text.includes('refused with 400 invalid_grant')) return 'MCA_TOKEN_OAUTH_ERROR';
  return undefined;
}
