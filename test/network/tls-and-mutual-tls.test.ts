/**
 * TLS of token and discovery requests against real TLS servers on 127.0.0.1: a private CA (option and
 * MCA_CA_FILE), verification failures that name the reason and the fix, and RFC 8705 client authentication
 * with certificate-bound tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeIdleTokenConnections, createStamper, createTokenCache, McaErrorCodes, type McaOptions } from '@mca-oauth/core';
import {
  certificateThumbprint,
  createCertificateAuthority,
  createSelfSignedCertificate,
  DEFAULT_CLIENT,
  startDevServer,
  type DevServer,
} from '@mca-oauth/dev-server';
import { MATCH, tokenOutcome } from './network-world.js';

/** The claims of a JWT access token (read, not verified: the dev server signed it a moment ago). */
function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

let auth: DevServer;
let directory: string;
const selfSigned = createSelfSignedCertificate('self-signed-client');

beforeAll(async () => {
  auth = await startDevServer({
    https: true,
    clients: [
      DEFAULT_CLIENT,
      { id: 'mtls-client', tlsClientAuthSubject: 'mtls-client' },
      { id: 'self-signed-client', selfSignedCertificate: selfSigned.cert },
    ],
  });
  directory = mkdtempSync(join(tmpdir(), 'mca-tls-'));
});
afterAll(async () => {
  closeIdleTokenConnections();
  await auth.close();
  rmSync(directory, { recursive: true, force: true });
});

function file(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

async function startHttpsServer(cert: { cert: string; key: string; ca?: string; requestCert?: boolean }): Promise<{ url: string; server: Server }> {
  const server = createServer(cert, (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"x","token_type":"Bearer","expires_in":60}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as { port: number }).port}/token`, server };
}

describe('a token endpoint with a private CA', () => {
  it('is trusted through tls.ca', async () => {
    expect((await tokenOutcome({ tokenEndpoint: auth.tokenEndpoint, tls: { ca: auth.ca! }, env: {} })).authorization).toMatch(/^Bearer /);
  });

  it('is trusted through MCA_CA_FILE, read once at creation', async () => {
    const outcome = await tokenOutcome({ tokenEndpoint: auth.tokenEndpoint, env: { MCA_CA_FILE: file('ca.pem', auth.ca!) } });
    expect(outcome.authorization).toMatch(/^Bearer /);
  });

  it('an unreadable MCA_CA_FILE is MCA_INVALID_OPTION naming the variable, at creation', () => {
    expect(() => createStamper({ match: MATCH, tokenEndpoint: auth.tokenEndpoint, clientId: 'c', secret: 's', env: { MCA_CA_FILE: join(directory, 'missing.pem') } })).toThrow(
      expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION, message: expect.stringContaining('MCA_CA_FILE') }),
    );
  });

  it('is not trusted without it: MCA_TOKEN_ENDPOINT_UNREACHABLE with the TLS reason and the fix', async () => {
    const { error } = await tokenOutcome({ tokenEndpoint: auth.tokenEndpoint, env: {} });
    expect(error).toMatchObject({ code: McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE });
    expect((error as Error).message).toMatch(/(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN).*set tls\.ca, or MCA_CA_FILE/);
  });

  it('an expired certificate names CERT_HAS_EXPIRED and what to do', async () => {
    const ca = createCertificateAuthority();
    const { url, server } = await startHttpsServer(ca.issue({ hostnames: ['127.0.0.1'], notBefore: new Date(Date.now() - 4e9), notAfter: new Date(Date.now() - 2e9) }));
    try {
      const { error } = await tokenOutcome({ tokenEndpoint: url, tls: { ca: ca.cert }, env: {} });
      expect(error).toMatchObject({ code: McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE });
      expect((error as Error).message).toMatch(/CERT_HAS_EXPIRED.*renew/);
    } finally {
      server.close();
    }
  });

  it('a certificate for another name names the mismatch; tls.servername checks that name instead', async () => {
    const ca = createCertificateAuthority();
    const { url, server } = await startHttpsServer(ca.issue({ hostnames: ['login.internal.example'] }));
    try {
      const { error } = await tokenOutcome({ tokenEndpoint: url, tls: { ca: ca.cert }, env: {} });
      expect((error as Error).message).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID.*tls\.servername/);
      const named = await tokenOutcome({ tokenEndpoint: url, tls: { ca: ca.cert, servername: 'login.internal.example' }, env: {} });
      expect(named.authorization).toBe('Bearer x');
    } finally {
      server.close();
    }
  });

  it('a server that demands a client certificate at the handshake: the message says to set one', async () => {
    const ca = createCertificateAuthority();
    const { url, server } = await startHttpsServer({ ...ca.issue({ hostnames: ['127.0.0.1'] }), ca: ca.cert, requestCert: true });
    try {
      const { error } = await tokenOutcome({ tokenEndpoint: url, tls: { ca: ca.cert }, env: {} });
      expect(error).toMatchObject({ code: McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE });
      expect((error as Error).message).toMatch(/CERTIFICATE_REQUIRED.*tls\.cert and tls\.key/);
      const withCertificate = await tokenOutcome({ tokenEndpoint: url, tls: { ca: ca.cert, ...ca.issue({ commonName: 'client' }) }, env: {} });
      expect(withCertificate.authorization).toBe('Bearer x');
    } finally {
      server.close();
    }
  });

  it('refuses unusable TLS settings at creation', () => {
    const create = (options: Partial<McaOptions>) => () => createStamper({ match: MATCH, tokenEndpoint: auth.tokenEndpoint, clientId: 'c', secret: 's', env: {}, ...options });
    const other = auth.issueClientCertificate!('x');
    expect(create({ tls: { ca: 'not a certificate' } })).toThrow(expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION }));
    expect(create({ tls: { cert: other.cert } })).toThrow(expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION, message: expect.stringContaining('tls.key') }));
    expect(create({ tls: { cert: other.cert, key: selfSigned.key } })).toThrow(expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION }));
    expect(create({ tls: { ca: '/etc/ssl/corporate-ca.pem' } })).toThrow(expect.objectContaining({ message: expect.stringContaining('not its path') }));
    expect(create({ tls: { servername: '10.1.2.3' } })).toThrow(expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION, message: expect.stringContaining('tls.servername') }));
    expect(create({ tls: 'yes' as never })).toThrow(expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION }));
  });
});

describe('mutual TLS client authentication (RFC 8705)', () => {
  const identity = (): { cert: string; key: string } => auth.issueClientCertificate!('mtls-client');

  it('tls_client_auth: discovery takes mtls_endpoint_aliases.token_endpoint, the body names the client, the token is bound', async () => {
    const certificate = identity();
    const { authorization } = await tokenOutcome({
      issuer: auth.issuer,
      clientId: 'mtls-client',
      secret: undefined,
      clientAuth: 'tls_client_auth',
      tls: { ca: auth.ca!, ...certificate },
      env: {},
    });
    // The dev server takes certificates only at its alias: a token proves the alias was used.
    expect(decodeJwt(authorization!.slice(7)).cnf).toEqual({ 'x5t#S256': certificateThumbprint(certificate.cert) });
  });

  it('self_signed_tls_client_auth with the certificate and key from MCA_CLIENT_CERT_FILE and MCA_CLIENT_KEY_FILE', async () => {
    const { authorization } = await tokenOutcome({
      tokenEndpoint: auth.mtlsTokenEndpoint!,
      clientId: 'self-signed-client',
      secret: undefined,
      clientAuth: 'self_signed_tls_client_auth',
      env: { MCA_CA_FILE: file('ca2.pem', auth.ca!), MCA_CLIENT_CERT_FILE: file('client.pem', selfSigned.cert), MCA_CLIENT_KEY_FILE: file('client.key', selfSigned.key) },
    });
    expect(decodeJwt(authorization!.slice(7)).cnf).toEqual({ 'x5t#S256': certificateThumbprint(selfSigned.cert) });
  });

  it('tls.pfx with its passphrase (a PKCS#12 bundle made by openssl) authenticates too', async () => {
    const certificate = identity();
    const pfx = execFileSync('openssl', ['pkcs12', '-export', '-in', file('pfx.pem', certificate.cert), '-inkey', file('pfx.key', certificate.key), '-passout', 'pass:bundle-passphrase']);
    const { authorization } = await tokenOutcome({
      tokenEndpoint: auth.mtlsTokenEndpoint!,
      clientId: 'mtls-client',
      secret: undefined,
      clientAuth: 'tls_client_auth',
      tls: { ca: auth.ca!, pfx, passphrase: 'bundle-passphrase' },
      env: {},
    });
    expect(decodeJwt(authorization!.slice(7)).cnf).toEqual({ 'x5t#S256': certificateThumbprint(certificate.cert) });
    expect(() => createStamper({ match: MATCH, tokenEndpoint: auth.mtlsTokenEndpoint!, clientId: 'mtls-client', clientAuth: 'tls_client_auth', tls: { pfx, passphrase: 'wrong' }, env: {} })).toThrow(
      expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION }),
    );
  });

  it('a certificate method without a certificate is MCA_INVALID_OPTION at creation', () => {
    for (const clientAuth of ['tls_client_auth', 'self_signed_tls_client_auth'] as const) {
      expect(() => createStamper({ match: MATCH, tokenEndpoint: auth.mtlsTokenEndpoint!, clientId: 'mtls-client', clientAuth, env: {} })).toThrow(
        expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION, message: expect.stringContaining(clientAuth) }),
      );
    }
  });

  it('another certificate is another token, even in one shared cache', async () => {
    const cache = createTokenCache();
    const first = identity();
    const second = identity();
    const options = (certificate: { cert: string; key: string }): McaOptions => ({
      match: MATCH,
      tokenEndpoint: auth.mtlsTokenEndpoint!,
      clientId: 'mtls-client',
      clientAuth: 'tls_client_auth',
      tls: { ca: auth.ca!, ...certificate },
      env: {},
      cache,
    });
    const a = (await createStamper(options(first)).authorizationFor(`${MATCH}x`)) as string;
    const b = (await createStamper(options(second)).authorizationFor(`${MATCH}x`)) as string;
    closeIdleTokenConnections();
    expect(decodeJwt(a.slice(7)).cnf).toEqual({ 'x5t#S256': certificateThumbprint(first.cert) });
    expect(decodeJwt(b.slice(7)).cnf).toEqual({ 'x5t#S256': certificateThumbprint(second.cert) });
  });
});
