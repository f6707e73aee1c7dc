/**
 * Checks a token endpoint's answer before anything in it is trusted, in a fixed order that fails fast:
 * status, then an OAuth error body, then JSON, then each field.
 */
import type { HttpExchange } from '../http/send.js';
import { McaError, McaErrorCodes } from '../errors/index.js';
import type { OAuthErrorBody } from '../errors/index.js';
import type { TokenProtocol } from '../config/options.js';
import { retryAfterMs } from './retry-after.js';
import { isHeaderSafeToken } from './issued-token.js';

export interface CheckedTokenResponse {
  readonly accessToken: string;
  readonly expiresInSec: number | undefined;
  readonly scope: string | undefined;
  /** RFC 8693 §2.2.1 `issued_token_type`: set (and required) for a token-exchange answer. */
  readonly issuedTokenType?: string;
}

/** RFC 8693 §3: the token type identifier of an OAuth access token. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** A year: longer-lived "access tokens" are a misconfiguration or a unit bug (milliseconds sent as seconds). */
export const MAX_EXPIRES_IN_SEC = 31_536_000;

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Takes our own secrets out of text a server sent, in case a buggy server echoes them. */
export type Redactor = (text: string) => string;

const noRedaction: Redactor = (text) => text;

function serverTextWith(redact: Redactor): (value: unknown) => string | undefined {
  // Server-sent text goes into messages and logs: keep it short, printable, and free of our secrets.
  return (value) => (typeof value === 'string' ? redact(value.replace(/[^\x20-\x7e]/g, ' ')).slice(0, 300) : undefined);
}

/** RFC 6749 §5.2: `error` is required; `error_description` and `error_uri` are optional. */
function oauthErrorOf(json: unknown, serverText: (value: unknown) => string | undefined): OAuthErrorBody | undefined {
  if (!isRecord(json) || typeof json['error'] !== 'string' || json['error'] === '') return undefined;
  const description = serverText(json['error_description']);
  const uri = serverText(json['error_uri']);
  return {
    error: serverText(json['error']) as string,
    ...(description !== undefined && { error_description: description }),
    ...(uri !== undefined && { error_uri: uri }),
  };
}

function invalid(target: string, problem: string, status: number): McaError {
  return new McaError(McaErrorCodes.TOKEN_INVALID_RESPONSE, `The token endpoint ${target} answered ${problem}.`, { status });
}

export function checkTokenResponse(
  exchange: HttpExchange,
  context: { target: string; protocol: TokenProtocol; now: number; redact?: Redactor; exchange?: boolean; dpop?: boolean },
): CheckedTokenResponse {
  const serverText = serverTextWith(context.redact ?? noRedaction);
  const { status, headers, body } = exchange;
  const { target } = context;
  const contentType = String(headers['content-type'] ?? 'no content type');
  if (status < 200 || status > 299) {
    const oauthError = oauthErrorOf(parseJson(body), serverText);
    const wait = status === 429 || status === 503 ? retryAfterMs(headers['retry-after'], context.now) : undefined;
    const details = { status, ...(wait !== undefined && { retryAfterMs: wait }) };
    if (oauthError !== undefined) {
      const description = oauthError.error_description === undefined ? '' : `: ${oauthError.error_description}`;
      return fail(
        new McaError(McaErrorCodes.TOKEN_OAUTH_ERROR, `The token endpoint ${target} refused with ${status} ${oauthError.error}${description}.`, {
          ...details,
          oauthError,
        }),
      );
    }
    return fail(new McaError(McaErrorCodes.TOKEN_HTTP_ERROR, `The token endpoint ${target} answered HTTP ${status} (${contentType}).`, details));
  }
  const json = parseJson(body);
  if (!isRecord(json)) return fail(invalid(target, `${status} with a body that is not a JSON object (${contentType})`, status));

  const accessToken = json['access_token'];
  if (typeof accessToken !== 'string' || accessToken === '') {
    return fail(invalid(target, 'without an access_token string (RFC 6749 §5.1)', status));
  }
  if (!isHeaderSafeToken(accessToken)) {
    return fail(invalid(target, 'an access_token with characters that cannot go into a header (spaces, CR, LF or non-ASCII)', status));
  }

  // RFC 8693 §2.2.1: a token-exchange answer must say what it issued.
  const issuedTokenType = json['issued_token_type'];
  if (context.exchange === true && (typeof issuedTokenType !== 'string' || issuedTokenType === '')) {
    return fail(invalid(target, 'a token exchange without an issued_token_type string (RFC 8693 §2.2.1)', status));
  }

  const tokenType = json['token_type'];
  const issued = context.exchange === true ? (issuedTokenType as string) : undefined;
  // For an error message only: the server's text goes through the redactor.
  const shownType = (): string => (typeof tokenType === 'string' ? `'${serverText(tokenType)}'` : String(tokenType));
  // RFC 9449 §5: a DPoP-bound token says so (token_type is case-insensitive, RFC 6749 §5.1). Anything else is not
  // bound to our key; sending it as a bearer token is the downgrade the option exists to prevent.
  if (context.dpop === true) {
    if (typeof tokenType === 'string' && tokenType.toLowerCase() === 'dpop') return tokenFields(json, accessToken, target, status, issued);
    return fail(
      new McaError(
        McaErrorCodes.DPOP_UNBOUND_TOKEN,
        `The token endpoint ${target} answered token_type ${shownType()} to a DPoP token request; only a DPoP-bound token is used (RFC 9449 §5).`,
        { status },
      ),
    );
  }
  // RFC 6749 §5.1 requires token_type; the MCA server always meant bearer and old servers may omit it.
  const typeRequired = context.protocol === 'oauth2';
  // RFC 8693 §2.2.1: `N_A` says the issued token is not an access token; one that is (by its type) is still a bearer.
  const usableNotApplicable =
    context.exchange === true && issuedTokenType === ACCESS_TOKEN_TYPE && typeof tokenType === 'string' && tokenType.toUpperCase() === 'N_A';
  if (!usableNotApplicable && (tokenType === undefined ? typeRequired : typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer')) {
    return fail(invalid(target, `token_type ${shownType()}; only Bearer tokens are supported (RFC 6750)`, status));
  }
  return tokenFields(json, accessToken, target, status, issued);
}

/** The fields after the token type: `expires_in`, `scope`, and for a token exchange `issued_token_type`. */
function tokenFields(json: Record<string, unknown>, accessToken: string, target: string, status: number, issuedTokenType: string | undefined): CheckedTokenResponse {
  const expiresIn = json['expires_in'];
  if (expiresIn !== undefined && (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0 || expiresIn > MAX_EXPIRES_IN_SEC)) {
    const shown = typeof expiresIn === 'string' ? 'a string' : String(expiresIn);
    return fail(invalid(target, `expires_in ${shown}; it must be a number of seconds from 1 to ${MAX_EXPIRES_IN_SEC}`, status));
  }

  const scope = json['scope'];
  return {
    accessToken,
    expiresInSec: expiresIn as number | undefined,
    scope: typeof scope === 'string' ? scope : undefined,
    ...(issuedTokenType !== undefined && { issuedTokenType }),
  };
}

function fail(error: McaError): never {
  throw error;
}
