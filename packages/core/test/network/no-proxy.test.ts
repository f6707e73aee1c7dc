/** NO_PROXY and the proxy choice, as curl and undici's EnvHttpProxyAgent read the environment. */
import { describe, expect, it } from '@jest/globals';
import { parseNoProxy } from '../../src/network/no-proxy.js';
import { resolveProxy } from '../../src/network/proxy.js';

describe('parseNoProxy', () => {
  it.each([
    ['*', 'anything.example', 443, true],
    ['example.com', 'example.com', 443, true],
    ['example.com', 'api.example.com', 443, true],
    ['example.com', 'notexample.com', 443, false],
    ['.example.com', 'example.com', 443, true],
    ['.example.com', 'api.example.com', 443, true],
    ['*.example.com', 'api.example.com', 443, true],
    ['EXAMPLE.com.', 'Api.Example.COM', 443, true],
    ['example.com:8443', 'example.com', 8443, true],
    ['example.com:8443', 'example.com', 443, false],
    ['10.1.2.3', '10.1.2.3', 443, true],
    ['10.1.2.3', '10.1.2.30', 443, false],
    ['2.3', '10.1.2.3', 443, false],
    ['10.0.0.0/8', '10.200.3.4', 443, true],
    ['10.0.0.0/8', '11.0.0.1', 443, false],
    ['[::1]', '[::1]', 443, true],
    ['::1', '::1', 443, true],
    ['[fd00::1]:8443', '[fd00::1]', 8443, true],
    ['fd00::/8', 'fd12::1', 443, true],
    ['a.example, b.example  c.example', 'c.example', 443, true],
    ['', 'example.com', 443, false],
    [' , ', 'example.com', 443, false],
  ])('%j for %s:%d → %s', (list, host, port, bypasses) => {
    expect(parseNoProxy(list).bypasses(host, port)).toBe(bypasses);
  });
});

describe('resolveProxy', () => {
  const https = new URL('https://login.example.com/token');
  const http = new URL('http://login.example.com/token');
  const origin = (setting: ReturnType<typeof resolveProxy>, url: URL): string | undefined => setting.proxyFor(url)?.origin;

  it('takes HTTPS_PROXY for https and HTTP_PROXY for http, lowercase first', () => {
    const env = { HTTPS_PROXY: 'http://upper-s:1', https_proxy: 'http://lower-s:1', HTTP_PROXY: 'http://upper:1' };
    expect(origin(resolveProxy(undefined, env), https)).toBe('http://lower-s:1');
    expect(origin(resolveProxy(undefined, env), http)).toBe('http://upper:1');
  });

  it('an empty lowercase variable still wins (curl), meaning none', () => {
    expect(origin(resolveProxy(undefined, { https_proxy: '', HTTPS_PROXY: 'http://upper:1' }), https)).toBeUndefined();
  });

  it('never proxies loopback endpoints from the environment, but does when the option names a proxy', () => {
    const env = { HTTPS_PROXY: 'http://proxy:1' };
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '127.8.9.10']) {
      expect(origin(resolveProxy(undefined, env), new URL(`https://${host}/token`))).toBeUndefined();
      expect(origin(resolveProxy('http://proxy:1', env), new URL(`https://${host}/token`))).toBe('http://proxy:1');
    }
  });

  it('keeps credentials out of the origin and turns them into Basic (RFC 7617), percent-decoded', () => {
    const server = resolveProxy('http://us%40er:p%3Ass@proxy.corp:3128', {}).proxyFor(https)!;
    expect(server.origin).toBe('http://proxy.corp:3128');
    expect(server.authorization?.reveal()).toBe(`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);
    expect(String(server.authorization)).toBe('[redacted]');
    expect(JSON.stringify(server)).not.toContain('p:ss');
  });

  it('refuses a proxy that is not an http(s) origin, naming the variable but not its value', () => {
    expect(() => resolveProxy('socks5://user:hunter2@proxy:1080', {})).toThrow(expect.objectContaining({ code: 'MCA_INVALID_OPTION' }));
    expect(() => resolveProxy(undefined, { HTTPS_PROXY: 'http://user:hunter2@proxy:1/path' })).toThrow(/HTTPS_PROXY/);
    try {
      resolveProxy(undefined, { HTTPS_PROXY: 'socks5://user:hunter2@proxy:1' });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('hunter2');
    }
    expect(() => resolveProxy(42, {})).toThrow(expect.objectContaining({ code: 'MCA_INVALID_OPTION' }));
  });

  it('false means direct, whatever the environment says', () => {
    expect(origin(resolveProxy(false, { HTTPS_PROXY: 'http://proxy:1' }), https)).toBeUndefined();
  });
});
