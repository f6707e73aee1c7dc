/** The dev server over https, with RFC 8705 client authentication and certificate-bound tokens. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:https';
import { decodeJwt } from 'jose';
import {
  certificateThumbprint,
  createSelfSignedCertificate,
  startDevServer,
  startProtectedApi,
  type DevServer,
  type ProtectedApi,
} from '../src/index.js';
import { makeProof, makeProofKey } from '../../../test-support/dpop-proof.js';

interface TlsIdentity {
  ca: string;
  cert?: string;
  key?: string;
}

function exchange(url: string, tls: TlsIdentity, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, agent: false, ...tls }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

function tokenRequest(server: DevServer, clientId: string, tls: TlsIdentity): Promise<{ status: number; json: any }> {
  return exchange(server.mtlsTokenEndpoint!, tls, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId }).toString(),
  });
}

describe('dev server over https with mutual TLS', () => {
  let server: DevServer;
  let api: ProtectedApi;
  const selfSigned = createSelfSignedCertificate('self-signed-client');

  beforeAll(async () => {
    server = await startDevServer({
      https: true,
      clients: [
        { id: 'ca-client', tlsClientAuthSubject: 'ca-client' },
        { id: 'self-signed-client', selfSignedCertificate: selfSigned.cert },
        { id: 'secret-client', secret: 'secret-client-secret' },
      ],
    });
    api = await startProtectedApi({ server, https: true });
  });
  afterAll(async () => {
    await api.close();
    await server.close();
  });

  it('advertises its https URLs and the mTLS alias (RFC 8705 §5)', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const metadata = await exchange(server.metadataUrl, { ca: server.ca! });
    expect(metadata.json.mtls_endpoint_aliases).toEqual({ token_endpoint: server.mtlsTokenEndpoint });
    expect(metadata.json.tls_client_certificate_bound_access_tokens).toBe(true);
  });

  it('authenticates a CA-issued certificate by its subject and binds the token to it (tls_client_auth)', async () => {
    const identity = server.issueClientCertificate!('ca-client');
    const answer = await tokenRequest(server, 'ca-client', { ca: server.ca!, ...identity });
    expect(answer.status).toBe(200);
    expect(decodeJwt(answer.json.access_token).cnf).toEqual({ 'x5t#S256': certificateThumbprint(identity.cert) });
  });

  it('authenticates the registered self-signed certificate (self_signed_tls_client_auth)', async () => {
    const answer = await tokenRequest(server, 'self-signed-client', { ca: server.ca!, ...selfSigned });
    expect(answer.status).toBe(200);
    expect(decodeJwt(answer.json.access_token).cnf).toEqual({ 'x5t#S256': certificateThumbprint(selfSigned.cert) });
  });

  it('binds an exchanged token to the certificate as well (RFC 8705 §3 with RFC 8693)', async () => {
    const identity = server.issueClientCertificate!('ca-client');
    const now = Math.floor(Date.now() / 1000);
    const subject = await server.signToken({ iss: server.issuer, sub: 'alice', aud: server.defaultAudience, iat: now, exp: now + 600 });
    const answer = await exchange(server.mtlsTokenEndpoint!, { ca: server.ca!, ...identity }, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        client_id: 'ca-client',
        subject_token: subject,
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      }).toString(),
    });
    expect(answer.status).toBe(200);
    expect(answer.json.token_type).toBe('Bearer');
    expect(decodeJwt(answer.json.access_token)).toMatchObject({ sub: 'alice', cnf: { 'x5t#S256': certificateThumbprint(identity.cert) } });
  });

  it('refuses a certificate that is not the client registered one', async () => {
    const stranger = createSelfSignedCertificate('self-signed-client');
    expect((await tokenRequest(server, 'self-signed-client', { ca: server.ca!, ...stranger })).status).toBe(401);
    const otherSubject = server.issueClientCertificate!('someone-else');
    expect((await tokenRequest(server, 'ca-client', { ca: server.ca!, ...otherSubject })).status).toBe(401);
    expect((await tokenRequest(server, 'ca-client', { ca: server.ca! })).status).toBe(401);
  });

  it('the protected API accepts a bound token only from a connection with that certificate', async () => {
    const identity = server.issueClientCertificate!('ca-client');
    const token = (await tokenRequest(server, 'ca-client', { ca: server.ca!, ...identity })).json.access_token as string;
    const headers = { authorization: `Bearer ${token}` };
    expect((await exchange(`${api.url}/api/echo`, { ca: api.ca!, ...identity }, { headers })).status).toBe(200);
    const without = await exchange(`${api.url}/api/echo`, { ca: api.ca! }, { headers });
    expect(without.status).toBe(401);
    expect(without.json.error_description).toMatch(/bound to a client certificate/);
    const other = server.issueClientCertificate!('ca-client');
    expect((await exchange(`${api.url}/api/echo`, { ca: api.ca!, ...other }, { headers })).status).toBe(401);
  });

  it('a token of a secret client is not bound and works from any connection', async () => {
    const answer = await exchange(server.tokenEndpoint, { ca: server.ca! }, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=secret-client&client_secret=secret-client-secret',
    });
    expect(decodeJwt(answer.json.access_token).cnf).toBeUndefined();
    expect((await exchange(`${api.url}/api/echo`, { ca: api.ca! }, { headers: { authorization: `Bearer ${answer.json.access_token}` } })).status).toBe(200);
  });

  it('checks a DPoP proof against the https URL the client called, at the token endpoint and the API (RFC 9449 §4.3)', async () => {
    const key = makeProofKey();
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const body = 'grant_type=client_credentials&client_id=secret-client&client_secret=secret-client-secret';
    const asHttp = (url: string) => url.replace(/^https:/, 'http:');
    // A proof naming the http:// form of the URL is for another resource: refused.
    const wrongScheme = await exchange(server.tokenEndpoint, { ca: server.ca! }, { method: 'POST', headers: { ...form, dpop: makeProof(key, { htm: 'POST', htu: asHttp(server.tokenEndpoint) }) }, body });
    expect(wrongScheme).toEqual({ status: 400, json: expect.objectContaining({ error: 'invalid_dpop_proof' }) });
    const issued = await exchange(server.tokenEndpoint, { ca: server.ca! }, { method: 'POST', headers: { ...form, dpop: makeProof(key, { htm: 'POST', htu: server.tokenEndpoint }) }, body });
    expect(issued.status).toBe(200);
    expect(issued.json.token_type).toBe('DPoP');
    const token = issued.json.access_token as string;
    const call = (htu: string) => exchange(`${api.url}/api/echo`, { ca: api.ca! }, { headers: { authorization: `DPoP ${token}`, dpop: makeProof(key, { htm: 'GET', htu, accessToken: token }) } });
    expect((await call(asHttp(`${api.url}/api/echo`))).status).toBe(401);
    expect((await call(`${api.url}/api/echo`)).status).toBe(200);
  });

  it('with requireClientCertificate, a connection without a certificate gets 401 invalid_client', async () => {
    const strict = await startDevServer({ https: { requireClientCertificate: true } });
    try {
      const answer = await exchange(strict.metadataUrl, { ca: strict.ca! });
      expect(answer).toEqual({ status: 401, json: expect.objectContaining({ error: 'invalid_client' }) });
      expect((await exchange(strict.metadataUrl, { ca: strict.ca!, ...strict.issueClientCertificate!('anyone') })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
