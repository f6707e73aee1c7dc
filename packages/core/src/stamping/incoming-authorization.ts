/** Reads the bearer value of an incoming request, to pass a user's token on to another backend. */
import type { IncomingMessage } from 'node:http';

/** Anything that carries request headers: Node's IncomingMessage, a Fetch Request, Headers, or a plain object. */
export type IncomingRequestLike =
  | Pick<IncomingMessage, 'headers'>
  | { headers: { get(name: string): string | null } }
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

// `Bearer <access>` or the MCA form `Bearer <access> <id>` (RFC 6750 §2.1: the scheme is case-insensitive).
const BEARER_VALUE = /^bearer +[\x21-\x7e]+( +[\x21-\x7e]+)?$/i;

/** The raw `Authorization` value of any header carrier, whatever its shape; `undefined` when there is none. */
export function authorizationHeaderOf(source: unknown): unknown {
  if (typeof source !== 'object' || source === null) return undefined;
  if (typeof (source as { get?: unknown }).get === 'function') return (source as { get(name: string): unknown }).get('authorization');
  const headers = (source as { headers?: unknown }).headers;
  if (headers !== undefined) return authorizationHeaderOf(headers);
  const record = source as Record<string, unknown>;
  const key = Object.keys(record).find((name) => name.toLowerCase() === 'authorization');
  return key === undefined ? undefined : record[key];
}

/**
 * The incoming request's `Authorization` value when it is a well-formed bearer value, else `undefined`: never a
 * Basic credential, a value with CR/LF, or several headers folded together. Never throws.
 */
export function getAuthorizationHeaderFromIncomingRequest(request: IncomingRequestLike | null | undefined): string | undefined {
  return bearerValueOf(authorizationHeaderOf(request));
}

/** Longer bearer values are refused: no real token comes near it, and it bounds what we hash and send. */
export const MAX_BEARER_VALUE_LENGTH = 16_384;

/** `value` trimmed when it is a well-formed bearer value (one header, no CR/LF, at most 16 KiB), else `undefined`. */
export function bearerValueOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_BEARER_VALUE_LENGTH) return undefined;
  const trimmed = value.trim();
  return BEARER_VALUE.test(trimmed) ? trimmed : undefined;
}
