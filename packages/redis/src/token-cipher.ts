/**
 * Encryption of tokens at rest: AES-256-GCM with the user's key, the Redis key as additional data (so a value
 * copied under another key does not decrypt), and a key id so that old keys still decrypt during a rotation.
 */
import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { invalidOption } from './errors.js';

/** A 256-bit key: 32 bytes, or a secret `KeyObject` of that size. */
export type EncryptionKey = Uint8Array | KeyObject;

export interface Sealed {
  readonly kid: string;
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

interface NamedKey {
  readonly kid: string;
  readonly key: KeyObject;
}

/** GCM's recommended nonce size (NIST SP 800-38D §8.2); random per value, so a key may seal ~2^32 values. */
const IV_BYTES = 12;

function secretKey(option: string, value: unknown): NamedKey {
  let key: KeyObject;
  if (value instanceof Uint8Array) key = createSecretKey(value);
  else if (typeof value === 'object' && value !== null && (value as KeyObject).type === 'secret') key = value as KeyObject;
  else throw invalidOption(option, 'must be 32 bytes (a Buffer or Uint8Array) or a secret KeyObject');
  if (key.symmetricKeySize !== 32) throw invalidOption(option, 'must be exactly 32 bytes for AES-256-GCM');
  // The id is a hash of the key: it picks the key to try without revealing anything about it.
  return { kid: createHash('sha256').update(key.export()).digest('base64url').slice(0, 8), key };
}

export class TokenCipher {
  readonly #current: NamedKey;
  readonly #byId: ReadonlyMap<string, KeyObject>;

  constructor(encryptionKey: unknown, decryptionKeys: unknown) {
    this.#current = secretKey('encryptionKey', encryptionKey);
    if (decryptionKeys !== undefined && !Array.isArray(decryptionKeys)) throw invalidOption('decryptionKeys', 'must be an array of keys');
    const older = (decryptionKeys ?? []).map((key, index) => secretKey(`decryptionKeys[${index}]`, key));
    this.#byId = new Map([this.#current, ...older].map(({ kid, key }) => [kid, key]));
  }

  seal(plaintext: string, additionalData: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    cipher.setAAD(Buffer.from(additionalData));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { kid: this.#current.kid, iv: iv.toString('base64url'), ct: ct.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') };
  }

  /** The plaintext, or `undefined` when no key of ours sealed it or it was altered. */
  open(sealed: Sealed, additionalData: string): string | undefined {
    const key = this.#byId.get(sealed.kid);
    if (key === undefined) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64url'));
      decipher.setAAD(Buffer.from(additionalData));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
