/** The clients the server knows: configuration type, validation and the lookup used per request. */
import { createPublicKey, createHash, timingSafeEqual, type KeyObject } from 'node:crypto';
import { importJWK, type JWK, type KeyLike } from 'jose';
import { invalidArg } from '../lib/invalid-arg.js';
import { certificateThumbprint } from '../tls/certificates.js';

/** One OAuth / MCA client, as given in code or in the `clients` array of the JSON config file. */
export interface ClientConfig {
  /** The `client_id`. Must not contain `:` (RFC 7617 §2: the user-id of Basic cannot). */
  id: string;
  /** Shared secret for client_secret_basic / client_secret_post / MCA Basic. */
  secret?: string;
  /**
   * Public key for private_key_jwt (RFC 7523 §2.2): a public JWK object, or an SPKI PEM string.
   * A client may have both a secret and a key.
   */
  publicKey?: JWK | string;
  /**
   * Scopes this client may request; a request with any other scope gets `400 invalid_scope`.
   * Omit to allow any scope.
   */
  scopes?: string[];
  /**
   * `audience` / `resource` values this client may request; anything else gets
   * `400 invalid_target` (RFC 8707 §2). Omit to allow any.
   */
  audiences?: string[];
  /**
   * `tls_client_auth` (RFC 8705 §2.1): the common name (CN) that a client certificate issued by the server's CA
   * must carry. Needs an https server; the client uses the `mtls_endpoint_aliases.token_endpoint`.
   */
  tlsClientAuthSubject?: string;
  /**
   * `self_signed_tls_client_auth` (RFC 8705 §2.2): the client's own self-signed certificate (PEM); the one a
   * connection presents must be exactly this one.
   */
  selfSignedCertificate?: string;
}

/** A configured client with its key imported once, so no request pays for parsing it. */
export interface RegisteredClient {
  readonly config: Readonly<ClientConfig>;
  readonly key: KeyLike | Uint8Array | undefined;
  readonly scopes: ReadonlySet<string> | undefined;
  readonly audiences: ReadonlySet<string> | undefined;
  /** `x5t#S256` of `selfSignedCertificate`. */
  readonly selfSignedThumbprint: string | undefined;
}

/** The authentication methods a client can use, derived from its credentials. */
export function authMethodsOf(config: ClientConfig): string[] {
  const methods: string[] = [];
  if (config.secret !== undefined) methods.push('client_secret_basic', 'client_secret_post');
  if (config.publicKey !== undefined) methods.push('private_key_jwt');
  if (config.tlsClientAuthSubject !== undefined) methods.push('tls_client_auth');
  if (config.selfSignedCertificate !== undefined) methods.push('self_signed_tls_client_auth');
  return methods;
}

function validate(config: ClientConfig, where: string): void {
  if (typeof config !== 'object' || config === null) throw invalidArg(`${where} must be an object`);
  if (typeof config.id !== 'string' || config.id === '' || config.id.includes(':')) {
    throw invalidArg(`${where}.id must be a non-empty string without ":"`);
  }
  if (config.secret !== undefined && (typeof config.secret !== 'string' || config.secret === '')) {
    throw invalidArg(`${where}.secret must be a non-empty string`);
  }
  for (const field of ['tlsClientAuthSubject', 'selfSignedCertificate'] as const) {
    if (config[field] !== undefined && (typeof config[field] !== 'string' || config[field] === '')) {
      throw invalidArg(`${where}.${field} must be a non-empty string`);
    }
  }
  if (authMethodsOf(config).length === 0) {
    throw invalidArg(`${where} needs a secret, a publicKey, a tlsClientAuthSubject or a selfSignedCertificate`);
  }
  for (const field of ['scopes', 'audiences'] as const) {
    const list = config[field];
    if (list !== undefined && (!Array.isArray(list) || list.some((s) => typeof s !== 'string' || s === ''))) {
      throw invalidArg(`${where}.${field} must be an array of non-empty strings`);
    }
  }
}

async function importClientKey(key: JWK | string, where: string): Promise<KeyLike | Uint8Array> {
  try {
    if (typeof key === 'string') return createPublicKey(key) as KeyObject;
    if ('d' in key || key.kty === 'oct') throw new Error('not an asymmetric public key');
    // The JWK's own alg (if any) pins the algorithm; RS256 only fills the gap for RSA keys.
    return await importJWK(key, key.alg ?? (key.kty === 'RSA' ? 'RS256' : undefined));
  } catch (cause) {
    const error = invalidArg(`${where}.publicKey is not a usable public JWK or SPKI PEM`);
    (error as Error).cause = cause;
    throw error;
  }
}

function thumbprintOf(certificate: string, where: string): string {
  try {
    return certificateThumbprint(certificate);
  } catch (cause) {
    const error = invalidArg(`${where}.selfSignedCertificate is not a PEM certificate`);
    (error as Error).cause = cause;
    throw error;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Holds the clients; `add()` validates and imports, `get()` is the per-request lookup. */
export class ClientRegistry {
  readonly #clients = new Map<string, RegisteredClient>();

  /** Adds or replaces a client. Rejects with a TypeError (code ERR_INVALID_ARG_VALUE) if invalid. */
  async add(config: ClientConfig, where = 'client'): Promise<void> {
    validate(config, where);
    const key = config.publicKey === undefined ? undefined : await importClientKey(config.publicKey, where);
    this.#clients.set(config.id, {
      config: Object.freeze({ ...config }),
      key,
      scopes: config.scopes && new Set(config.scopes),
      audiences: config.audiences && new Set(config.audiences),
      selfSignedThumbprint: config.selfSignedCertificate === undefined ? undefined : thumbprintOf(config.selfSignedCertificate, where),
    });
  }

  get(id: string): RegisteredClient | undefined {
    return this.#clients.get(id);
  }

  /** The configured clients (secrets included: this is the caller's own configuration). */
  list(): Readonly<ClientConfig>[] {
    return [...this.#clients.values()].map((c) => c.config);
  }

  /** Compares in constant time, so the dev server does not teach clients a timing oracle. */
  static secretMatches(client: RegisteredClient, presented: string): boolean {
    const expected = client.config.secret;
    return expected !== undefined && timingSafeEqual(digest(expected), digest(presented));
  }
}
