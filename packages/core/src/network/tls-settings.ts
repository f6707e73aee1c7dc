/**
 * The TLS settings of token and discovery requests: the `tls` option, then `MCA_CA_FILE`,
 * `MCA_CLIENT_CERT_FILE` and `MCA_CLIENT_KEY_FILE` (read once, here). There is deliberately no way to turn
 * certificate verification off.
 */
import { createHmac, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { createSecureContext, rootCertificates, type SecureContextOptions } from 'node:tls';
import { McaError, McaErrorCodes } from '../errors/index.js';
import { ownOptions } from '../config/own-options.js';
import { Secret } from '../config/secret.js';
import { invalidOption, optionalText } from '../config/validate.js';
import { PROCESS_KEY } from './process-key.js';

type Environment = Readonly<Record<string, string | undefined>>;
type Pem = string | Buffer;
type PemList = Pem | readonly Pem[];

/** What `tls` takes; each field as Node's `tls.connect` takes it (PEM strings or Buffers). */
export interface TlsOptions {
  /** Trusted CA certificates, replacing Node's default list (as in Node). Default: Node's list, plus `MCA_CA_FILE`. */
  ca?: PemList;
  /** The client certificate chain (mutual TLS, RFC 8705). Default: `MCA_CLIENT_CERT_FILE`. */
  cert?: PemList;
  /** The client certificate's private key; a secret. Default: `MCA_CLIENT_KEY_FILE`. */
  key?: PemList;
  /** Passphrase of `key` or `pfx`; a secret. */
  passphrase?: string;
  /** A PKCS#12 bundle of key and certificate, instead of `cert` and `key`; a secret. */
  pfx?: Pem;
  /** The name to send in SNI and to check the server's certificate against. Default: the URL's host. */
  servername?: string;
}

export const TLS_ENVIRONMENT_VARIABLES = {
  ca: 'MCA_CA_FILE',
  cert: 'MCA_CLIENT_CERT_FILE',
  key: 'MCA_CLIENT_KEY_FILE',
} as const;

export interface ResolvedTls {
  readonly ca?: PemList;
  readonly cert?: PemList;
  readonly key?: Secret<PemList>;
  readonly passphrase?: Secret;
  readonly pfx?: Secret<Pem>;
  readonly servername?: string;
  /** A certificate to present: `cert` and `key`, or `pfx`. */
  readonly hasClientCertificate: boolean;
  /** Tells agents apart (a keyed hash of every setting): `''` for none. Reveals nothing of the key. */
  readonly agentKey: string;
}

function isPem(value: unknown): value is Pem {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

function pemList(option: string, value: unknown): PemList | undefined {
  if (value === undefined || value === null) return undefined;
  if (isPem(value)) return value;
  if (Array.isArray(value) && value.length > 0 && value.every(isPem)) return value as readonly Pem[];
  throw invalidOption(option, 'must be a PEM string, a Buffer, or an array of them');
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** Node skips a CA it cannot parse without a word; a path given instead of the PEM would trust nothing. */
function checkCertificates(option: string, value: PemList | undefined): void {
  if (value === undefined) return;
  for (const item of [value].flat()) {
    const text = item.toString('utf8');
    const blocks = text.match(PEM_CERTIFICATE) ?? (Buffer.isBuffer(item) && item[0] === 0x30 ? [item] : []);
    try {
      if (blocks.length === 0) throw new Error('no certificate');
      for (const block of blocks) new X509Certificate(block);
    } catch {
      throw invalidOption(option, 'must hold PEM certificates (the contents of the file, not its path)');
    }
  }
}

function readVariable(env: Environment, variable: string): Buffer | undefined {
  const path = env[variable]?.trim();
  if (path === undefined || path === '') return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new McaError(McaErrorCodes.INVALID_OPTION, `The file that ${variable} names could not be read (${reason}).`);
  }
}

/** Node's connect options for these settings: the only place the key is revealed. */
export function secureContextOptions(tls: ResolvedTls): SecureContextOptions & { servername?: string } {
  return {
    ...(tls.ca !== undefined && { ca: tls.ca as SecureContextOptions['ca'] }),
    ...(tls.cert !== undefined && { cert: tls.cert as SecureContextOptions['cert'] }),
    ...(tls.key !== undefined && { key: tls.key.reveal() as SecureContextOptions['key'] }),
    ...(tls.passphrase !== undefined && { passphrase: tls.passphrase.reveal() }),
    ...(tls.pfx !== undefined && { pfx: tls.pfx.reveal() }),
    ...(tls.servername !== undefined && { servername: tls.servername }),
  };
}

const MAX_REMEMBERED_SETTINGS = 1000;
/** Agent keys of settings that built a secure context once. */
const usable = new Set<string>();

function agentKeyOf(parts: readonly unknown[]): string {
  const hmac = createHmac('sha256', PROCESS_KEY);
  for (const part of parts.flat()) hmac.update(part === undefined ? '\u0000' : typeof part === 'string' ? `s${part}` : Buffer.concat([Buffer.from('b'), part as Buffer]));
  return hmac.digest('base64url');
}

function checkCertificatesFrom(variable: string, content: Buffer): void {
  try {
    checkCertificates(variable, content);
  } catch {
    throw new McaError(McaErrorCodes.INVALID_OPTION, `The file that ${variable} names holds no PEM certificate.`);
  }
}

export function resolveTls(option: unknown, env: Environment): ResolvedTls {
  if (option !== undefined && option !== null && (typeof option !== 'object' || Array.isArray(option))) {
    throw invalidOption('tls', 'must be an object ({ ca, cert, key, passphrase, pfx, servername })');
  }
  const given = ownOptions((option ?? {}) as TlsOptions);
  const caFile = given.ca === undefined ? readVariable(env, TLS_ENVIRONMENT_VARIABLES.ca) : undefined;
  // MCA_CA_FILE adds to Node's list, as NODE_EXTRA_CA_CERTS does: a corporate CA beside the public ones.
  const givenCa = pemList('tls.ca', given.ca);
  checkCertificates('tls.ca', givenCa);
  if (caFile !== undefined) checkCertificatesFrom(TLS_ENVIRONMENT_VARIABLES.ca, caFile);
  const ca = givenCa ?? (caFile === undefined ? undefined : [...rootCertificates, caFile]);
  const cert = pemList('tls.cert', given.cert) ?? readVariable(env, TLS_ENVIRONMENT_VARIABLES.cert);
  const key = pemList('tls.key', given.key) ?? readVariable(env, TLS_ENVIRONMENT_VARIABLES.key);
  if (given.passphrase !== undefined && typeof given.passphrase !== 'string') throw invalidOption('tls.passphrase', 'must be a string');
  if (given.pfx !== undefined && !isPem(given.pfx)) throw invalidOption('tls.pfx', 'must be a Buffer or a string');
  const servername = optionalText('tls.servername', given.servername);
  if (servername !== undefined && isIP(servername) !== 0) throw invalidOption('tls.servername', 'must be a host name: SNI carries no IP address (RFC 6066 §3)');
  if ((cert === undefined) !== (key === undefined)) {
    throw invalidOption(cert === undefined ? 'tls.cert' : 'tls.key', `is required with ${cert === undefined ? 'tls.key' : 'tls.cert'} (or set ${cert === undefined ? TLS_ENVIRONMENT_VARIABLES.cert : TLS_ENVIRONMENT_VARIABLES.key})`);
  }
  const resolved: ResolvedTls = {
    ...(ca !== undefined && { ca }),
    ...(cert !== undefined && { cert }),
    ...(key !== undefined && { key: new Secret(key) }),
    ...(given.passphrase !== undefined && { passphrase: new Secret(given.passphrase) }),
    ...(given.pfx !== undefined && { pfx: new Secret(given.pfx) }),
    ...(servername !== undefined && { servername }),
    hasClientCertificate: given.pfx !== undefined || (cert !== undefined && key !== undefined),
    agentKey: '',
  };
  const settings = secureContextOptions(resolved);
  if (Object.keys(settings).length === 0) return resolved;
  const agentKey = agentKeyOf([settings.ca, settings.cert, settings.key, settings.passphrase, settings.pfx, settings.servername] as unknown[]);
  if (!usable.has(agentKey)) {
    try {
      // Built once now so that a bad PEM, a key that does not fit its certificate or a wrong passphrase fails here.
      createSecureContext(settings);
    } catch (error) {
      const reason = (error as { reason?: string; code?: string }).reason ?? (error as { code?: string }).code ?? 'unusable';
      throw new McaError(McaErrorCodes.INVALID_OPTION, `Option 'tls' (or the MCA_*_FILE variables) could not be used: ${reason}.`, { option: 'tls' });
    }
    // Parsing Node's whole CA list takes milliseconds: the seed API resolves its options on every call.
    if (usable.size >= MAX_REMEMBERED_SETTINGS) usable.clear();
    usable.add(agentKey);
  }
  return { ...resolved, agentKey };
}
