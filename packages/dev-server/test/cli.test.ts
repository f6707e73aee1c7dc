import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/run-cli.js';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, readConfigFile } from '../src/index.js';
import { CLIENT_CREDENTIALS, postForm, rawBasic } from './helpers.js';

describe('mca-dev-server CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mca-dev-server-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('starts-with-zero-config-and-prints-urls-and-the-default-credentials', async () => {
    const printed: string[] = [];
    const { server, api } = await runCli(['--ttl', '5'], (text) => printed.push(text));
    try {
      const banner = printed.join('\n');
      for (const url of [server!.issuer, server!.tokenEndpoint, server!.mcaTokenEndpoint('dev-tenant'), server!.jwksUri]) expect(banner).toContain(url);
      expect(banner).toContain(`client_id=${DEFAULT_CLIENT_ID}  client_secret=${DEFAULT_CLIENT_SECRET}`);
      const answer = await postForm(server!.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: rawBasic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET) });
      expect(answer.json.expires_in).toBe(5);
    } finally {
      await Promise.all([server?.close(), api?.close()]);
    }
  });

  it('requires-and-rotates-dpop-nonces-with-flags', async () => {
    const printed: string[] = [];
    const { server, api } = await runCli(['--dpop-nonce', '--dpop-nonce-rotation', '3'], (text) => printed.push(text));
    try {
      expect(server!.dpop.requireNonce).toBe(true);
      expect(server!.dpop.nonceRotation).toBe(3);
      expect(printed.join('\n')).toContain('nonce required, rotated every 3');
    } finally {
      await Promise.all([server?.close(), api?.close()]);
    }
  });

  it('reads-dpop-switches-from-a-config-file', async () => {
    const file = join(dir, 'dpop.json');
    await writeFile(file, JSON.stringify({ dpop: { requireNonce: true, iatWindow: 30 } }));
    const { server, api } = await runCli(['--config', file], () => {});
    try {
      expect(server!.dpop.requireNonce).toBe(true);
    } finally {
      await Promise.all([server?.close(), api?.close()]);
    }
  });

  it('serves-https-with---https-and-writes-its-ca-with---ca-out', async () => {
    const caFile = join(dir, 'dev-ca.pem');
    const printed: string[] = [];
    const { server, api } = await runCli(['--https', '--require-client-certificate', '--ca-out', caFile], (text) => printed.push(text));
    try {
      expect(server!.url).toMatch(/^https:/);
      const banner = printed.join('\n');
      expect(banner).toContain(server!.mtlsTokenEndpoint!);
      expect(banner).toContain(server!.ca!.trim());
      expect(await readFile(caFile, 'utf8')).toBe(server!.ca);
      const { X509Certificate } = await import('node:crypto');
      expect(new X509Certificate(server!.ca!).ca).toBe(true);
    } finally {
      await Promise.all([server?.close(), api?.close()]);
    }
    await expect(runCli(['--ca-out', caFile], () => undefined)).rejects.toThrow(/--ca-out needs --https/);
  });

  it('reads-clients-from-a-config-file-without-printing-their-secrets', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ tokenTtl: 60, clients: [{ id: 'billing', secret: 'billing-secret-123', scopes: ['invoices'] }] }));
    const printed: string[] = [];
    const { server, api } = await runCli(['--config', file, '--ttl', '30'], (text) => printed.push(text));
    try {
      const banner = printed.join('\n');
      expect(banner).toContain('client_id=billing');
      expect(banner).not.toContain('billing-secret-123');
      expect(banner).not.toContain(DEFAULT_CLIENT_ID);
      const ok = await postForm(server!.tokenEndpoint, { ...CLIENT_CREDENTIALS, scope: 'invoices' }, { authorization: rawBasic('billing', 'billing-secret-123') });
      expect(ok.json.expires_in).toBe(30);
      const defaultGone = await postForm(server!.tokenEndpoint, CLIENT_CREDENTIALS, { authorization: rawBasic(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET) });
      expect(defaultGone.status).toBe(401);
    } finally {
      await Promise.all([server?.close(), api?.close()]);
    }
  });

  it('reads-the-subject-audiences-of-token-exchange-from-the-config-file', async () => {
    const file = join(dir, 'exchange.json');
    await writeFile(file, JSON.stringify({ exchangeSubjectAudiences: ['urn:cli:middle-tier'] }));
    expect(await readConfigFile(file)).toEqual({ exchangeSubjectAudiences: ['urn:cli:middle-tier'] });
  });

  it('prints-usage-for-help-and-starts-nothing', async () => {
    const printed: string[] = [];
    const result = await runCli(['--help'], (text) => printed.push(text));
    expect(result.server).toBeUndefined();
    expect(printed.join('')).toMatch(/^Usage: mca-dev-server/);
  });

  it('refuses-bad-arguments-and-bad-config-files', async () => {
    const ignore = (): void => undefined;
    await expect(runCli(['--ttl', 'soon'], ignore)).rejects.toThrow('--ttl');
    await expect(runCli(['--ttl', '0'], ignore)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    await expect(runCli(['--bogus'], ignore)).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
    const typo = join(dir, 'typo.json');
    await writeFile(typo, JSON.stringify({ tokenTTL: 5 }));
    await expect(readConfigFile(typo)).rejects.toThrow('unknown fields: tokenTTL');
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{');
    await expect(readConfigFile(broken)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
  });
});
