/**
 * What a stored value looks like: the token and its times (never a client secret), as JSON, optionally sealed.
 * Reading checks every field, because whoever can write to Redis could otherwise put any header on our requests.
 */
import { IssuedToken } from '@mca-oauth/core';
import { RedisStoreError, RedisStoreErrorCodes } from './errors.js';
import type { Sealed, TokenCipher } from './token-cipher.js';

/** Bumped when the format changes; a value of another version reads as MCA_STORE_UNREADABLE, i.e. as no token. */
const FORMAT_VERSION = 1;

/** What may go into an Authorization header, as core checks a token response. */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

interface Payload {
  iat: number;
  exp: number;
  tok: string;
  scope?: string;
}

function unreadable(why: string): RedisStoreError {
  return new RedisStoreError(RedisStoreErrorCodes.UNREADABLE, `The stored token cannot be used: ${why}.`);
}

function isSealed(value: Record<string, unknown>): value is Record<string, unknown> & Sealed {
  return ['kid', 'iv', 'ct', 'tag'].every((field) => typeof value[field] === 'string');
}

function tokenOf(value: unknown): IssuedToken {
  const payload = value as Partial<Payload> | null;
  if (typeof payload !== 'object' || payload === null) throw unreadable('it is not an object');
  const { iat, exp, tok, scope } = payload;
  if (typeof iat !== 'number' || typeof exp !== 'number' || !Number.isFinite(iat) || !Number.isFinite(exp) || exp <= iat) {
    throw unreadable('its times are missing or invalid');
  }
  if (typeof tok !== 'string' || !VISIBLE_ASCII.test(tok)) throw unreadable('its access token is missing or has characters a header cannot carry');
  if (scope !== undefined && typeof scope !== 'string') throw unreadable('its scope is not a string');
  return new IssuedToken(tok, iat, exp, scope);
}

export class TokenCodec {
  readonly #cipher: TokenCipher | undefined;

  constructor(cipher: TokenCipher | undefined) {
    this.#cipher = cipher;
  }

  /** `valueKey` is bound to the sealed value, so it cannot be replayed under another key. */
  encode(valueKey: string, token: IssuedToken): string {
    const payload: Payload = { iat: token.issuedAt, exp: token.expiresAt, tok: token.accessToken, ...(token.scope !== undefined && { scope: token.scope }) };
    if (this.#cipher === undefined) return JSON.stringify({ v: FORMAT_VERSION, ...payload });
    return JSON.stringify({ v: FORMAT_VERSION, ...this.#cipher.seal(JSON.stringify(payload), valueKey) });
  }

  decode(valueKey: string, text: string): IssuedToken {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw unreadable('it is not JSON');
    }
    if (typeof value !== 'object' || value === null || (value as { v?: unknown }).v !== FORMAT_VERSION) {
      throw unreadable(`it is not format version ${FORMAT_VERSION}`);
    }
    const envelope = value as Record<string, unknown>;
    if (!isSealed(envelope)) {
      // A plain value where we encrypt may have been planted by anyone who can write to Redis: never use it.
      if (this.#cipher !== undefined) throw unreadable('it is not encrypted, and encryptionKey is set');
      return tokenOf(envelope);
    }
    if (this.#cipher === undefined) throw unreadable('it is encrypted, and no encryptionKey is set');
    const plaintext = this.#cipher.open(envelope, valueKey);
    if (plaintext === undefined) throw unreadable('it was encrypted with a key not in encryptionKey or decryptionKeys, or altered');
    try {
      return tokenOf(JSON.parse(plaintext));
    } catch (error) {
      if (error instanceof RedisStoreError) throw error;
      throw unreadable('its decrypted content is not JSON');
    }
  }
}
