/** The user a request is made for: the subject token given to `onBehalfOf`, read once, and what follows from it. */
import * as crypto from 'node:crypto';
import { inspect } from 'node:util';
import { jwtExpiry } from '../providers/expiry.js';
import {
  authorizationHeaderOf, bearerValueOf, MAX_BEARER_VALUE_LENGTH, type IncomingRequestLike,
} from '../stamping/incoming-authorization.js';

/**
 * What `onBehalfOf` takes as the user: their access token, or the incoming request (Node `IncomingMessage`,
 * Fetch `Request`, `Headers`, or a plain headers object) whose `Authorization: Bearer …` carries it.
 */
export type SubjectInput = string | IncomingRequestLike;

/** `absent`: no token was given (no Authorization header); `malformed`: not a bearer value, or over 16 KiB. */
export type SubjectProblem = 'absent' | 'malformed';

// A token as it goes into a form or header: visible ASCII, nothing else (RFC 6750 §2.1 is narrower still).
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
const BEARER_PREFIX = /^bearer +/i;

function tokenOfString(value: string): string | undefined {
  if (BEARER_PREFIX.test(value)) return tokenOfHeader(value);
  return value.length <= MAX_BEARER_VALUE_LENGTH && VISIBLE_ASCII.test(value) ? value : undefined;
}

/** `Bearer <access>` or the MCA form `Bearer <access> <id>`: the subject is the access token. */
function tokenOfHeader(value: unknown): string | undefined {
  const bearer = bearerValueOf(value);
  return bearer === undefined ? undefined : bearer.split(/ +/)[1];
}

// One-shot crypto.hash (Node 20.12+) is about twice as fast as createHash for a token-sized input.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;
const sha256 = (text: string): string =>
  oneShotHash === undefined ? crypto.createHash('sha256').update(text).digest('base64url') : oneShotHash('sha256', text, 'base64url');

/**
 * One `onBehalfOf` call's user. The token is a secret: it lives in a private field, out of `util.inspect` and
 * JSON. Its digest (the cache key part) and JWT `exp` are computed at most once per call, not per request.
 *
 * Only public members are used across modules: with two copies of core loaded (ESM and CommonJS builds), a
 * Subject made by one is read by the other through its own methods.
 */
export class Subject {
  readonly #token: string | undefined;
  readonly problem: SubjectProblem | undefined;
  #digest: string | undefined;
  #expiresAt: number | null | undefined;
  #memoOwner: object | undefined;
  #memoValue: unknown;
  #memos: WeakMap<object, unknown> | undefined;

  constructor(input: unknown) {
    let token: string | undefined;
    let problem: SubjectProblem | undefined;
    if (input === undefined || input === null) {
      problem = 'absent';
    } else if (typeof input === 'string') {
      token = tokenOfString(input);
      if (token === undefined) problem = 'malformed';
    } else if (typeof input === 'object') {
      const header = authorizationHeaderOf(input);
      if (header === undefined || header === null) problem = 'absent';
      else if ((token = tokenOfHeader(header)) === undefined) problem = 'malformed';
    } else {
      problem = 'malformed';
    }
    this.#token = token;
    this.problem = problem;
  }

  /** The subject token, for the exchange request only. */
  token(): string {
    return this.#token as string;
  }

  /** SHA-256 of the token, base64url: the cache key part. The token itself is never a key. */
  digest(): string {
    return (this.#digest ??= sha256(this.#token as string));
  }

  /** When the subject expires (its JWT `exp`, epoch ms), or `undefined` when it is not a JWT with one. */
  expiresAt(): number | undefined {
    if (this.#expiresAt === undefined) this.#expiresAt = jwtExpiry(this.#token as string) ?? null;
    return this.#expiresAt ?? undefined;
  }

  /** What `make()` returned the first time `owner` asked, for this subject: one slot, then a WeakMap. */
  memo<T>(owner: object, make: () => T): T {
    if (this.#memoOwner === owner) return this.#memoValue as T;
    if (this.#memoOwner === undefined) {
      this.#memoOwner = owner;
      return (this.#memoValue = make()) as T;
    }
    this.#memos ??= new WeakMap();
    if (!this.#memos.has(owner)) this.#memos.set(owner, make());
    return this.#memos.get(owner) as T;
  }

  toJSON(): Record<string, unknown> {
    return { subject: this.problem === undefined ? '[redacted]' : this.problem };
  }

  [inspect.custom](): string {
    return `Subject ${inspect(this.toJSON())}`;
  }
}
