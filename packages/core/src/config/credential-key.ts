/**
 * The part of a token's cache key that comes from the client's credentials: a changed secret or private key is a
 * different token identity, so a token, failure or backoff under a wrong secret never reaches the right one.
 *
 * Cache keys are not secret (they appear in events, logs and shared-store keys in Redis), so the credentials go
 * through scrypt (RFC 7914): deterministic, so replicas with the same credentials agree on the key, and
 * deliberately slow and memory-hard, so a weak secret cannot be guessed cheaply from a key. The salt is built
 * from non-secret parts of the configuration (client id, endpoint), so equal secrets of two clients differ too.
 */
import { createHash, createPrivateKey, KeyObject, scryptSync, type JsonWebKey } from 'node:crypto';
import type { PrivateJwk } from './options.js';
import type { Secret } from './secret.js';

/** Node's defaults (N = 2^14, r = 8): about 16 MiB and tens of milliseconds per derivation, paid once per credential. */
const SCRYPT_PARAMETERS = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const DIGEST_BYTES = 16;
const MAX_REMEMBERED = 256;

/** Everything that proves the client's identity; a client certificate (RFC 8705) belongs beside these. */
export interface ClientCredentials {
  readonly secret?: Secret | undefined;
  readonly privateKey?: Secret<string | PrivateJwk | KeyObject> | undefined;
}

/**
 * Derivations already made in this process, by a fast hash of their input: the seed API resolves its options on
 * every call, and must not pay scrypt each time. The map lives in memory only, beside the secrets themselves.
 */
const remembered = new Map<string, string>();

function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (typeof value !== 'object' || value === null) return value;
  return Object.keys(value)
    .sort()
    .map((name) => [name, canonicalJson((value as Record<string, unknown>)[name])]);
}

/** The key as given, in a form that is stable for one input: what the memo of derivations is keyed by. */
function givenForm(key: string | PrivateJwk | KeyObject): unknown {
  if (typeof key === 'string') return key.trim();
  if (key instanceof KeyObject) return canonicalDer(key);
  return canonicalJson(key);
}

function canonicalDer(key: KeyObject): string {
  if (key.type === 'secret') return key.export().toString('base64');
  return key.export({ format: 'der', type: key.type === 'private' ? 'pkcs8' : 'spki' }).toString('base64');
}

/**
 * The private key in one canonical form, whichever way it was given (a PEM of any type, a private JWK, a KeyObject),
 * so that one key is one identity. What Node cannot parse here (an encrypted PEM) counts as given.
 */
function keyMaterial(key: string | PrivateJwk | KeyObject): unknown {
  if (key instanceof KeyObject) return canonicalDer(key);
  try {
    return canonicalDer(typeof key === 'string' ? createPrivateKey(key) : createPrivateKey({ key: key as JsonWebKey, format: 'jwk' }));
  } catch {
    return givenForm(key);
  }
}

/**
 * A short digest of `credentials`, safe to put in a cache key. `context` holds the non-secret parts that name the
 * client (client id, endpoint); it salts the derivation.
 */
export function credentialDigest(credentials: ClientCredentials, context: readonly unknown[]): string {
  const secret = credentials.secret?.reveal() ?? null;
  const privateKey = credentials.privateKey?.reveal();
  const salt = `mca-oauth/credential-key/v1 ${JSON.stringify(context)}`;
  // Keyed by the credentials as given: a repeated resolution (the seed API's, on every call) parses no key either.
  const given = JSON.stringify([secret, privateKey === undefined ? null : givenForm(privateKey)]);
  const memo = createHash('sha256').update(salt).update('\0').update(given).digest('base64url');
  let digest = remembered.get(memo);
  if (digest === undefined) {
    const material = JSON.stringify([secret, privateKey === undefined ? null : keyMaterial(privateKey)]);
    digest = scryptSync(material, salt, DIGEST_BYTES, SCRYPT_PARAMETERS).toString('base64url');
    if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
    remembered.set(memo, digest);
  }
  return digest;
}
