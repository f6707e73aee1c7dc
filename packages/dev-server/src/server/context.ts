/** The state every route of one dev server shares. */
import type { ClientAssertionVerifier } from './client-assertion.js';
import type { ClientAuthContext } from './client-authentication.js';
import type { ClientRegistry } from './clients.js';
import type { DpopProofChecker } from '../dpop/proof-checker.js';
import type { FaultController } from './faults.js';
import type { ServerKeys } from './keys.js';
import type { TokenStats } from './token-stats.js';
import type { ExchangeController } from './exchange-controller.js';

export interface ServerContext {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly keys: ServerKeys;
  readonly clients: ClientRegistry;
  readonly assertions: ClientAssertionVerifier;
  readonly stats: TokenStats;
  readonly faults: FaultController;
  /** Token exchange's switches and counters. */
  readonly exchange: ExchangeController;
  readonly defaultAudience: string;
  /** Checks DPoP proofs sent to the token endpoints and holds their nonce (RFC 9449 §5, §8). */
  readonly dpop: DpopProofChecker;
  /** Client authentication rules of `/oauth2/token` and of the MCA token endpoint. */
  readonly oauthAuth: ClientAuthContext;
  readonly mcaAuth: ClientAuthContext;
  /** Client authentication of the RFC 8705 alias: everything `oauthAuth` takes, and client certificates. */
  readonly mtlsAuth: ClientAuthContext;
  /** The alias (RFC 8705 §5), on an https server only. */
  readonly mtlsTokenEndpoint?: string;
  /** Seconds; read per request so `setTokenTtl` applies to the next token. */
  tokenTtl: number;
}
