/**
 * McaAgent's `clientCertificate`: one certificate for both sides of RFC 8705. It authenticates the token
 * requests (when `mca.tls` names none) and is presented on every connection to the APIs, where a
 * certificate-bound token (§3) is only accepted from a connection with that certificate.
 */
import { McaError, McaErrorCodes, type McaOptions } from '@mca-oauth/core';
import type { Agent, buildConnector } from 'undici';

/** A client certificate and its private key (PEM strings or Buffers), or a PKCS#12 bundle. */
export type ClientCertificate =
  | { cert: string | Buffer; key: string | Buffer; passphrase?: string }
  | { pfx: string | Buffer; passphrase?: string };

function invalid(problem: string): McaError {
  return new McaError(McaErrorCodes.INVALID_OPTION, `Option 'clientCertificate' ${problem}.`, { option: 'clientCertificate' });
}

const isPem = (value: unknown): boolean => typeof value === 'string' || Buffer.isBuffer(value);

function checked(certificate: unknown): ClientCertificate {
  if (typeof certificate !== 'object' || certificate === null) throw invalid('must be { cert, key } or { pfx }');
  const { cert, key, pfx, passphrase } = certificate as Record<string, unknown>;
  if (passphrase !== undefined && typeof passphrase !== 'string') throw invalid('has a passphrase that is not a string');
  const withPassphrase = passphrase === undefined ? {} : { passphrase };
  if (pfx !== undefined) {
    if (!isPem(pfx) || cert !== undefined || key !== undefined) throw invalid('takes either pfx (a Buffer) or cert and key');
    return { pfx: pfx as Buffer, ...withPassphrase };
  }
  if (!isPem(cert) || !isPem(key)) throw invalid('needs cert and key, each a PEM string or a Buffer');
  return { cert: cert as string, key: key as string, ...withPassphrase };
}

/** Token options that authenticate with the certificate, unless they name a certificate of their own. */
export function withClientCertificate(mca: McaOptions | undefined, certificate: ClientCertificate): McaOptions {
  const tls = mca?.tls;
  if (tls?.cert !== undefined || tls?.key !== undefined || tls?.pfx !== undefined) return mca as McaOptions;
  return { ...mca, tls: { ...tls, ...certificate } };
}

/**
 * The Agent options with a connector that presents the certificate. Built with `buildConnector`, so the key
 * lives in a closure: undici keeps its options where `util.inspect(agent)` shows them.
 */
export function agentOptionsWith(
  options: Agent.Options,
  certificate: unknown,
  connector: typeof buildConnector,
): { options: Agent.Options; certificate: ClientCertificate } {
  const valid = checked(certificate);
  if (typeof options.connect === 'function') throw invalid("cannot be combined with a 'connect' function; pass connect options instead");
  return { options: { ...options, connect: connector({ ...options.connect, ...valid } as buildConnector.BuildOptions) }, certificate: valid };
}
