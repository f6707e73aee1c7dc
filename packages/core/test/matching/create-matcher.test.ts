/** createMatcher, by example: configuration errors, origin, path, requests, predicates and transport. */
import { inspect } from 'node:util';
import { describe, expect, it, jest } from '@jest/globals';
import { McaErrorCodes, isMcaError } from '../../src/errors/index.js';
import { createMatcher } from '../../src/matching/index.js';

const ORDERS = 'https://orders.example.com/api';

function configError(fn: () => unknown): { code: string; message: string; inspected: string } {
  try {
    fn();
  } catch (err) {
    if (isMcaError(err)) return { code: err.code, message: err.message, inspected: inspect(err, { depth: 5 }) };
    throw err;
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it.each([
    ['an unparseable string', 'not a url'],
    ['a relative path', '/api'],
    ['an empty string', ''],
    ['a host without a scheme', 'orders.example.com/api'],
  ])('rejects %s, naming the option and the index', (_name, value) => {
    const err = configError(() => createMatcher(['https://ok.example.com/', value]));
    expect(err.code).toBe(McaErrorCodes.INVALID_OPTION);
    expect(err.message).toMatch(/^match\[1\] must be an absolute http\(s\) URL/);
  });

  it.each(['ftp://orders.example.com/api', 'ws://orders.example.com/api', 'file:///etc/passwd', 'javascript:alert(1)'])(
    'rejects the non-http(s) prefix %s',
    (value) => {
      const err = configError(() => createMatcher(value));
      expect(err.code).toBe(McaErrorCodes.INVALID_OPTION);
      expect(err.message).toMatch(/^match must be an absolute http\(s\) URL.*scheme/);
    },
  );

  it('rejects userinfo without echoing the password', () => {
    const err = configError(() => createMatcher('https://alice:s3cr3t-pw@orders.example.com/api'));
    expect(err.code).toBe(McaErrorCodes.INVALID_OPTION);
    expect(err.message).toMatch(/userinfo/);
    expect(err.inspected).not.toContain('s3cr3t-pw');
    expect(err.inspected).not.toContain('alice');
  });

  it('never echoes an unparseable value, which may hold a secret, not even through a cause', () => {
    for (const value of ['alice:s3cr3t-pw@orders.example.com/api', 'https://alice:s3cr3t-pw@[bad/api']) {
      const err = configError(() => createMatcher(value));
      expect(err.code).toBe(McaErrorCodes.INVALID_OPTION);
      expect(err.inspected).not.toContain('s3cr3t-pw');
    }
  });

  it('rejects a query, says why, and does not echo it', () => {
    const err = configError(() => createMatcher(`${ORDERS}?api_key=k3y-value`));
    expect(err.code).toBe(McaErrorCodes.INVALID_OPTION);
    expect(err.message).toMatch(/must not contain a query: matching ignores the query/);
    expect(err.inspected).not.toContain('k3y-value');
  });

  it('rejects an empty query and an empty fragment too', () => {
    expect(configError(() => createMatcher(`${ORDERS}?`)).message).toMatch(/query/);
    expect(configError(() => createMatcher(`${ORDERS}#`)).message).toMatch(/fragment/);
    expect(configError(() => createMatcher(new URL(`${ORDERS}#top`))).message).toMatch(/fragment: matching ignores/);
  });

  it('rejects an empty array', () => {
    const err = configError(() => createMatcher([]));
    expect(err.code).toBe(McaErrorCodes.INVALID_OPTION);
    expect(err.message).toMatch(/^match must not be an empty array/);
  });

  it('rejects elements that are neither a string, a URL nor a function', () => {
    for (const bad of [42, null, undefined, {}, [ORDERS], { href: ORDERS }]) {
      const err = configError(() => createMatcher([ORDERS, bad as never]));
      expect(err.code).toBe(McaErrorCodes.INVALID_OPTION);
      expect(err.message).toMatch(/^match\[1\] must be a URL string, a URL or a function/);
    }
  });

  it('names the option given in optionName', () => {
    expect(configError(() => createMatcher(['ftp://x/'], { optionName: 'routes[2].match' })).message).toMatch(
      /^routes\[2\]\.match\[0\] /,
    );
  });

  it('rejects a prefix percent-encoded more than three levels deep', () => {
    expect(configError(() => createMatcher('https://h.test/%2525252e')).code).toBe(McaErrorCodes.INVALID_OPTION);
  });

  it('rejects a non-boolean allowInsecureHttp', () => {
    expect(configError(() => createMatcher(ORDERS, { allowInsecureHttp: 'yes' as never })).message).toMatch(
      /allowInsecureHttp/,
    );
  });

  it('is not affected by later mutation of a configured URL object', () => {
    const configured = new URL(ORDERS);
    const matcher = createMatcher(configured);
    configured.hostname = 'evil.test';
    expect(matcher.test('https://orders.example.com/api')).toBe('match');
    expect(matcher.test('https://evil.test/api')).toBe('no-match');
  });

  it('works when test is called detached from the matcher', () => {
    const { test } = createMatcher(ORDERS);
    expect(test('https://orders.example.com/api')).toBe('match');
  });
});

describe('origin', () => {
  const m = createMatcher(ORDERS);

  it('matches the prefix itself, from a string and from a URL', () => {
    expect(m.test('https://orders.example.com/api')).toBe('match');
    expect(m.test(new URL('https://orders.example.com/api'))).toBe('match');
  });

  it('compares scheme and host case-insensitively, in both directions', () => {
    expect(m.test('HTTPS://ORDERS.Example.COM/api/x')).toBe('match');
    expect(createMatcher('HTTPS://ORDERS.EXAMPLE.COM/api').test('https://orders.example.com/api/x')).toBe('match');
  });

  it('does not match a look-alike host orders.example.com.evil.test', () => {
    expect(m.test('https://orders.example.com.evil.test/api')).toBe('no-match');
  });

  it.each([
    'https://orders-example.com/api',
    'https://evil.test/orders.example.com/api',
    'https://evil.test/?https://orders.example.com/api',
    'https://evil.test#https://orders.example.com/api',
    'https://a.orders.example.com/api',
    'https://example.com/api',
    'https://orders.example.com../api',
  ])('does not match the host trick %s', (url) => {
    expect(m.test(url)).toBe('no-match');
  });

  it('treats a trailing-dot host as the same host, on both sides', () => {
    expect(m.test('https://orders.example.com./api')).toBe('match');
    expect(createMatcher('https://orders.example.com./api').test('https://orders.example.com/api')).toBe('match');
  });

  it('drops default ports and never matches another port', () => {
    expect(m.test('https://orders.example.com:443/api')).toBe('match');
    expect(createMatcher('https://orders.example.com:443/api').test('https://orders.example.com/api')).toBe('match');
    expect(m.test('https://orders.example.com:8443/api')).toBe('no-match');
    expect(createMatcher('https://orders.example.com:8443/api').test('https://orders.example.com/api')).toBe('no-match');
  });

  it('compares IDN hosts as punycode', () => {
    const idn = createMatcher('https://bücher.example/api');
    expect(idn.test('https://xn--bcher-kva.example/api')).toBe('match');
    expect(idn.test('https://BÜCHER.example/api')).toBe('match');
    expect(idn.test('https://bucher.example/api')).toBe('no-match');
  });

  it('compares IPv6 literals in canonical form', () => {
    const v6 = createMatcher('https://[2001:db8::1]:8443/api');
    expect(v6.test('https://[2001:DB8:0:0:0:0:0:1]:8443/api')).toBe('match');
    expect(v6.test('https://[2001:db8::2]:8443/api')).toBe('no-match');
  });

  it('does not match plain http against an https prefix', () => {
    expect(m.test('http://orders.example.com/api')).toBe('no-match');
  });

  it.each(['ftp://orders.example.com/api', 'wss://orders.example.com/api', 'file://orders.example.com/api', 'javascript:https://orders.example.com/api', 'blob:https://orders.example.com/api'])(
    'never matches the other scheme %s',
    (url) => {
      expect(m.test(url)).toBe('no-match');
    },
  );
});

describe('path', () => {
  const m = createMatcher(ORDERS);

  it('matches on segment boundaries: /api, /api/ and /api/x but never /apix or /ap', () => {
    expect(m.test('https://orders.example.com/api')).toBe('match');
    expect(m.test('https://orders.example.com/api/')).toBe('match');
    expect(m.test('https://orders.example.com/api/x/y')).toBe('match');
    expect(m.test('https://orders.example.com/apix')).toBe('no-match');
    expect(m.test('https://orders.example.com/api-v2')).toBe('no-match');
    expect(m.test('https://orders.example.com/ap')).toBe('no-match');
    expect(m.test('https://orders.example.com/')).toBe('no-match');
  });

  it('treats a configured trailing slash as insignificant', () => {
    const slash = createMatcher('https://orders.example.com/api/');
    expect(slash.test('https://orders.example.com/api')).toBe('match');
    expect(slash.test('https://orders.example.com/api/x')).toBe('match');
    expect(slash.test('https://orders.example.com/apix')).toBe('no-match');
  });

  it('lets the root prefix cover every path of that origin only', () => {
    const root = createMatcher('https://orders.example.com');
    expect(root.test('https://orders.example.com/')).toBe('match');
    expect(root.test('https://orders.example.com/anything/at/all?q#f')).toBe('match');
    expect(root.test('https://orders.example.com.evil.test/')).toBe('no-match');
  });

  it('is case-sensitive in the path', () => {
    expect(m.test('https://orders.example.com/API')).toBe('no-match');
  });

  it.each([
    '/api/../admin',
    '/api/%2e%2e/admin',
    '/api/%2E%2E/admin',
    '/api/.%2e/admin',
    '/api/%2e./admin',
    '/api/x/../../admin',
    '/api\\..\\admin',
    '/api/..',
  ])('does not match the dot-segment escape %s', (path) => {
    expect(m.test(`https://orders.example.com${path}`)).toBe('no-match');
  });

  it('resolves plain dot segments that stay under the prefix', () => {
    expect(m.test('https://orders.example.com/admin/../api/x')).toBe('match');
    expect(m.test('https://orders.example.com/api/./x/../y')).toBe('match');
  });

  it('does not match an encoded `..`, even one that would stay under the prefix: servers disagree on reading it', () => {
    expect(m.test('https://orders.example.com/api/./x/%2e%2e/y')).toBe('no-match');
    expect(m.test('https://orders.example.com/api/x/%2e%2e;v=1/y')).toBe('no-match');
  });

  it.each([
    '/api%2f..%2fadmin',
    '/api/x%2f..%2f..%2fadmin',
    '/api/x%2F..%2F..%2Fadmin',
    '/api/x%5c..%5c..%5cadmin',
    '/api/%2e%2e%2fadmin',
    '/api/%252e%252e/admin',
    '/api/x/%252e%252e%252f%252e%252e/admin',
    '/api/..;/admin',
    '/api/x/..;x/..;/admin',
    '/api/%2525252e%2525252e/admin',
  ])('does not match %s, which a lenient server reads as outside the prefix, as a string or a URL', (path) => {
    expect(m.test(`https://orders.example.com${path}`)).toBe('no-match');
    expect(m.test(new URL(`https://orders.example.com${path}`))).toBe('no-match');
  });

  it('does not match a verbatim path that escapes, though WHATWG resolves it under the prefix', () => {
    // WHATWG: /api/admin. Sent verbatim (undici request), Tomcat reads /admin.
    expect(m.test('https://orders.example.com/api/x/../..;/../admin')).toBe('no-match');
    expect(m.test('https://orders.example.com/api/x/..\\..;\\..\\admin')).toBe('no-match');
    // And the other way round: verbatim it stays under /api, but a WHATWG client sends
    // /api/%2e%2e%2f%2e%2e%2fx, which a server decoding %2F reads as /x.
    expect(m.test('https://orders.example.com/api/a%2fb%2fc/../%2e%2e%2f%2e%2e%2fx')).toBe('no-match');
    // A URL object is serialized by the client, so what it says is what is sent.
    expect(m.test(new URL('https://orders.example.com/api/x/../..;/../admin'))).toBe('match');
  });

  it('refuses encoded dot segments at any depth of encoding', () => {
    expect(m.test('https://orders.example.com/api/x/%25252e%25252e/y')).toBe('no-match');
    expect(m.test('https://orders.example.com/api/x/%25252e%25252e/%25252e%25252e/y')).toBe('no-match');
    expect(m.test('https://orders.example.com/api/x/%2525252e/y')).toBe('no-match');
  });

  it('matches encoded slashes and double encoding that stay under the prefix', () => {
    expect(m.test('https://orders.example.com/api/a%2Fb')).toBe('match');
    expect(m.test('https://orders.example.com/api/100%25')).toBe('match');
  });

  it('does not match path parameters on the prefix segment (a false negative we accept)', () => {
    expect(m.test('https://orders.example.com/api;v=1/x')).toBe('no-match');
  });

  it('normalizes percent-encoding: unreserved decoded, hex case folded', () => {
    expect(m.test('https://orders.example.com/%61pi/x')).toBe('match');
    expect(m.test('https://orders.example.com/a%70i')).toBe('match');
    const tilde = createMatcher('https://h.example/~u/caf%c3%a9');
    expect(tilde.test('https://h.example/%7eu/caf%C3%A9/x')).toBe('match');
    expect(tilde.test('https://h.example/%7Eu/café')).toBe('match');
    expect(tilde.test('https://h.example/~u/cafe')).toBe('no-match');
  });

  it('ignores the query and the fragment', () => {
    expect(m.test('https://orders.example.com/api?x=1#frag')).toBe('match');
    expect(m.test('https://orders.example.com/apix?/api')).toBe('no-match');
    expect(m.test('https://orders.example.com/?/api')).toBe('no-match');
  });
});

describe('requests', () => {
  const m = createMatcher(ORDERS);

  it.each([
    'https://user@orders.example.com/api',
    'https://user:pw@orders.example.com/api',
    'https://:pw@orders.example.com/api',
    'https://orders.example.com@evil.test/api',
    'https://evil.test%5c@orders.example.com/api',
  ])('never matches the userinfo URL %s', (url) => {
    expect(m.test(url)).toBe('no-match');
  });

  it('reads https://evil.test\\@orders.example.com/api as host evil.test, as WHATWG does', () => {
    expect(m.test('https://evil.test\\@orders.example.com/api')).toBe('no-match');
  });

  it('never matches userinfo even when a predicate would', () => {
    const all = createMatcher(() => true);
    expect(all.test('https://user:pw@orders.example.com/api')).toBe('no-match');
  });

  it.each(['/api', 'orders.example.com/api', '//orders.example.com/api', '', 'https://', 'https://[::1/api'])(
    'gives no-match for the relative or unparseable %j',
    (url) => {
      expect(m.test(url)).toBe('no-match');
    },
  );

  it('gives no-match for garbage of any type, without throwing', () => {
    for (const garbage of [undefined, null, 42, {}, [], Symbol('x'), () => ORDERS, { href: 42 }]) {
      expect(m.test(garbage as never)).toBe('no-match');
    }
  });

  it('strips tabs and newlines as WHATWG does, since clients request the stripped URL', () => {
    expect(m.test('https://orders.exa\tmple.com/a\npi/x\r')).toBe('match');
    expect(m.test('https://orders.example.com\t.evil.test/api')).toBe('no-match');
    expect(m.test(' https://orders.example.com/api ')).toBe('match');
  });
});

describe('predicates', () => {
  it('calls a predicate with a parsed, userinfo-free URL', () => {
    const seen: URL[] = [];
    const m = createMatcher((url) => {
      seen.push(url);
      return url.hostname === 'orders.example.com';
    });
    expect(m.test('https://ORDERS.example.com/x?q=1')).toBe('match');
    expect(seen[0]).toBeInstanceOf(URL);
    expect(seen[0]?.href).toBe('https://orders.example.com/x?q=1');
  });

  it('counts a throwing predicate as no match and never propagates', () => {
    const m = createMatcher([
      () => {
        throw new Error('boom');
      },
    ]);
    expect(m.test('https://orders.example.com/api')).toBe('no-match');
  });

  it('tries the next element after a throwing predicate', () => {
    const m = createMatcher([
      () => {
        throw new Error('boom');
      },
      (url) => url.pathname === '/ok',
    ]);
    expect(m.test('https://h.example/ok')).toBe('match');
  });

  it('only matches on exactly true: an async predicate never matches', () => {
    const m = createMatcher([(async () => true) as never, (() => 'yes') as never]);
    expect(m.test('https://orders.example.com/api')).toBe('no-match');
  });

  it('hands the predicate a copy, so mutating it changes neither the caller URL nor the verdict', () => {
    const m = createMatcher((url) => {
      url.protocol = 'http:';
      url.hostname = 'evil.test';
      return true;
    });
    const request = new URL('https://orders.example.com/api');
    expect(m.test(request)).toBe('match');
    expect(request.href).toBe('https://orders.example.com/api');
  });

  it('is never asked about non-http(s) or unparseable URLs', () => {
    const predicate = jest.fn(() => true);
    const m = createMatcher(predicate);
    expect(m.test('ftp://orders.example.com/api')).toBe('no-match');
    expect(m.test('not a url')).toBe('no-match');
    expect(predicate).not.toHaveBeenCalled();
  });

  it('matches when any element of an array matches', () => {
    const m = createMatcher(['https://a.example/one', new URL('https://b.example/two'), (url) => url.hostname === 'c.example']);
    expect(m.test('https://a.example/one/x')).toBe('match');
    expect(m.test('https://b.example/two')).toBe('match');
    expect(m.test('https://c.example/anything')).toBe('match');
    expect(m.test('https://a.example/two')).toBe('no-match');
  });
});

describe('transport', () => {
  it('gives insecure for plain http to a non-loopback host that matches', () => {
    const m = createMatcher('http://orders.internal/api');
    expect(m.test('http://orders.internal/api/x')).toBe('insecure');
    expect(m.test('http://orders.internal/other')).toBe('no-match');
  });

  it('gives match for plain http to a non-loopback host when allowInsecureHttp is true', () => {
    expect(createMatcher('http://orders.internal/api', { allowInsecureHttp: true }).test('http://orders.internal/api')).toBe('match');
  });

  it('gives insecure when a predicate matches plain http to a non-loopback host', () => {
    const m = createMatcher(() => true);
    expect(m.test('http://orders.example.com/api')).toBe('insecure');
    expect(m.test('https://orders.example.com/api')).toBe('match');
    expect(m.test('http://127.0.0.1:8080/api')).toBe('match');
  });

  it.each([
    ['http://localhost:8080/', 'http://localhost:8080/api'],
    ['http://localhost:8080/', 'http://LOCALHOST.:8080/api'],
    ['http://127.0.0.1/svc', 'http://127.0.0.1/svc/x'],
    ['http://127.0.0.1/svc', 'http://127.1/svc'],
    ['http://127.9.8.7/', 'http://127.9.8.7/x'],
    ['http://[::1]:3000/v1', 'http://[0:0:0:0:0:0:0:1]:3000/v1/x'],
  ])('allows plain http to the loopback prefix %s for %s', (prefix, url) => {
    expect(createMatcher(prefix).test(url)).toBe('match');
  });

  it('does not treat *.localhost as loopback', () => {
    expect(createMatcher('http://api.localhost:8080/').test('http://api.localhost:8080/x')).toBe('insecure');
  });
});

describe('paths as nginx, Apache and Tomcat read them (merged //, ; kept as data)', () => {
  const matcher = createMatcher('https://orders.example.com/api');
  it.each([
    ['/api//..;/admin', 'Tomcat merges // and cuts ;params: /admin'],
    ['/api//..%2fadmin', 'nginx merges // and decodes %2f: /admin'],
    ['/api/..%2fapi;x', 'nginx keeps ; as data: /api;x'],
  ])('does not match %s (%s)', (path) => {
    expect(matcher.test(`https://orders.example.com${path}`)).toBe('no-match');
  });

  it.each(['/api//../admin', '/api\\x'])('does not match the verbatim path %s, which a server may read outside /api', (path) => {
    // As undici and http.request send a path: verbatim, so only the raw view sees the backslash or the //..
    expect(matcher.test(`https://orders.example.com${path}`)).toBe('no-match');
  });

  it('still matches ordinary paths with // or ;params inside the prefix', () => {
    expect(matcher.test('https://orders.example.com/api//orders')).toBe('match');
    expect(matcher.test('https://orders.example.com/api/orders;v=2/lines')).toBe('match');
  });
});
