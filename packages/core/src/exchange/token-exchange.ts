/**
 * The token-exchange grant (RFC 8693 §2): trades a user's token for one minted for the route's API, the client
 * authenticating exactly as for client credentials (every method core supports).
 */
import type { ResolvedTokenConfig } from '../config/resolve.js';
import { McaError, McaErrorCodes } from '../errors/index.js';
import { ClientCredentialsProvider } from '../providers/client-credentials.js';
import { expiryOf } from '../providers/expiry.js';
import { IssuedToken } from '../providers/issued-token.js';
import type { ExchangeSettings } from './exchange-options.js';
import type { Subject } from './subject.js';

/** RFC 8693 §2.1. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';

export class TokenExchange {
  readonly #client: ClientCredentialsProvider;
  readonly #settings: ExchangeSettings;
  readonly #defaultLifetimeSec: number;
  readonly #now: () => number;

  constructor(config: ResolvedTokenConfig, settings: ExchangeSettings, now: () => number = () => Date.now()) {
    this.#client = new ClientCredentialsProvider(config, now);
    this.#settings = settings;
    this.#defaultLifetimeSec = config.defaultLifetimeSec;
    this.#now = now;
  }

  /**
   * A token for `subject`, whose expiry is capped at the subject's own (its JWT `exp`): a delegated token never
   * outlives the user's. An expired subject is refused here, without a token request.
   */
  async exchange(subject: Subject, signal?: AbortSignal): Promise<IssuedToken> {
    const subjectExpiresAt = subject.expiresAt();
    if (subjectExpiresAt !== undefined && subjectExpiresAt <= this.#now()) {
      throw new McaError(McaErrorCodes.INVALID_SUBJECT_TOKEN, 'The subject token given to onBehalfOf has expired (its JWT exp is past).');
    }
    const token = subject.token();
    const grant: [string, string][] = [
      ['grant_type', TOKEN_EXCHANGE_GRANT_TYPE],
      ['subject_token', token],
      ['subject_token_type', this.#settings.subjectTokenType],
    ];
    if (this.#settings.requestedTokenType !== undefined) grant.push(['requested_token_type', this.#settings.requestedTokenType]);
    const { checked, sentAt } = await this.#client.requestToken(grant, {
      exchange: true,
      // A server that echoes the subject token in an error description must not put it into our message.
      redact: (text) => text.split(token).join('[redacted]'),
      ...(signal !== undefined && { signal }),
    });
    const expiresAt = expiryOf(checked.accessToken, checked.expiresInSec, sentAt, this.#defaultLifetimeSec);
    return new IssuedToken(checked.accessToken, sentAt, subjectExpiresAt === undefined ? expiresAt : Math.min(expiresAt, subjectExpiresAt), checked.scope);
  }
}
