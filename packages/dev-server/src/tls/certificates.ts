/**
 * Throwaway X.509 v3 certificates (RFC 5280 §4.1), made in memory with node:crypto: a CA of the dev server's
 * own, server certificates it issues, client certificates for mutual TLS (RFC 8705), and self-signed ones.
 * ECDSA P-256 with SHA-256. No openssl binary, nothing downloaded, no key on disk.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';

export interface CertificateAndKey {
  /** PEM certificate. */
  readonly cert: string;
  /** PEM PKCS#8 private key. */
  readonly key: string;
}

/** What a certificate says about its holder. */
export interface CertificateOptions {
  /** The subject's common name. Default: the first host name, else `mca-oauth dev client`. */
  commonName?: string;
  /** Host names and IP addresses for subjectAltName (RFC 5280 §4.2.1.6). Default: none. */
  hostnames?: readonly string[];
  /** Validity. Default: from a minute ago for a day (an expired one tests CERT_HAS_EXPIRED). */
  notBefore?: Date;
  notAfter?: Date;
}

/** A certificate authority that issues certificates; its `cert` is what clients trust. */
export interface CertificateAuthority extends CertificateAndKey {
  issue(options?: CertificateOptions): CertificateAndKey;
}

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A DER tag-length-value (X.690 §8.1). */
function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);

function objectIdentifier(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) base128.unshift((value & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(date: Date): Buffer {
  const digits = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii')) : tlv(0x18, Buffer.from(digits, 'ascii'));
}

function name(commonName: string): Buffer {
  return sequence(tlv(0x31, sequence(objectIdentifier('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}

function subjectAltName(hostnames: readonly string[]): Buffer {
  const names = hostnames.map((host) => {
    if (isIP(host) === 4) return tlv(0x87, Buffer.from(host.split('.').map(Number)));
    return tlv(0x82, Buffer.from(host, 'ascii'));
  });
  return extension('2.5.29.17', false, sequence(...names));
}

const ECDSA_WITH_SHA256 = sequence(objectIdentifier('1.2.840.10045.4.3.2'));
// basicConstraints cA=TRUE; keyUsage keyCertSign|cRLSign (RFC 5280 §4.2.1.9, §4.2.1.3).
const CA_EXTENSIONS = [
  extension('2.5.29.19', true, sequence(tlv(0x01, Buffer.from([0xff])))),
  extension('2.5.29.15', true, tlv(0x03, Buffer.from([0x01, 0x06]))),
];

function pem(der: Buffer): string {
  const base64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${base64}${base64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}

interface Signer {
  readonly name: Buffer;
  readonly key: KeyObject;
}

function build(subject: Buffer, publicKey: KeyObject, issuer: Signer, options: CertificateOptions, extensions: Buffer[]): string {
  const now = Date.now();
  const tbs = sequence(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, Buffer.concat([Buffer.from([0x01]), randomBytes(8)])),
    ECDSA_WITH_SHA256,
    issuer.name,
    sequence(time(options.notBefore ?? new Date(now - 60_000)), time(options.notAfter ?? new Date(now + 24 * 3_600_000))),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    ...(extensions.length === 0 ? [] : [tlv(0xa3, sequence(...extensions))]),
  );
  return pem(sequence(tbs, ECDSA_WITH_SHA256, tlv(0x03, Buffer.from([0]), sign('sha256', tbs, issuer.key))));
}

function keyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

const exportKey = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }) as string;

function commonNameOf(options: CertificateOptions): string {
  return options.commonName ?? options.hostnames?.[0] ?? 'mca-oauth dev client';
}

/** A new CA; what it issues is trusted by whoever trusts its `cert`. */
export function createCertificateAuthority(commonName = 'mca-oauth dev CA'): CertificateAuthority {
  const { privateKey, publicKey } = keyPair();
  const signer: Signer = { name: name(commonName), key: privateKey };
  const notAfter = new Date(Date.now() + 7 * 24 * 3_600_000);
  return {
    cert: build(signer.name, publicKey, signer, { notAfter }, CA_EXTENSIONS),
    key: exportKey(privateKey),
    issue(options = {}) {
      const holder = keyPair();
      const extensions = options.hostnames === undefined || options.hostnames.length === 0 ? [] : [subjectAltName(options.hostnames)];
      return { cert: build(name(commonNameOf(options)), holder.publicKey, signer, options, extensions), key: exportKey(holder.privateKey) };
    },
  };
}

/** A self-signed certificate, e.g. for 127.0.0.1 or for a `self_signed_tls_client_auth` client (RFC 8705 §2.2). */
export function createSelfSignedCertificate(host = '127.0.0.1', options: CertificateOptions = {}): CertificateAndKey {
  const { privateKey, publicKey } = keyPair();
  const hostnames = options.hostnames ?? [host, 'localhost'];
  const subject = name(options.commonName ?? host);
  return { cert: build(subject, publicKey, { name: subject, key: privateKey }, options, [subjectAltName(hostnames)]), key: exportKey(privateKey) };
}

/** The `x5t#S256` confirmation of a certificate (RFC 8705 §3.1): base64url SHA-256 of its DER. */
export function certificateThumbprint(certificate: string | Buffer | X509Certificate): string {
  const der = certificate instanceof X509Certificate ? certificate.raw : Buffer.isBuffer(certificate) && certificate[0] === 0x30 ? certificate : new X509Certificate(certificate).raw;
  return createHash('sha256').update(der).digest('base64url');
}
