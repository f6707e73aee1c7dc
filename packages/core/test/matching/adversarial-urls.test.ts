/**
 * Property tests: no generated adversarial URL gets a token, and every URL that is only a different
 * spelling of a protected one does. About 12,000 generated URLs in all.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createMatcher } from '../../src/matching/index.js';
import { dotDot, otherDomain, otherPort, queryAndFragment, safeSegment, safeTail, separator, withTabsAndNewlines } from './arbitraries.js';

const ORDERS_HOST = 'orders.example.com';
const orders = createMatcher('https://orders.example.com/api');

const mixedCase = (s: string) => fc.mixedCase(fc.constant(s));

describe('against https://orders.example.com/api', () => {
  const lookAlikeHost = fc.oneof(
    fc
      .tuple(
        fc.constantFrom('', 'a.', 'www.', 'x', 'x-', 'evil.test.', 'orders.', '-'),
        fc.constantFrom('', '.evil.test', '-evil.test', 'x', '.com', '..', '.evil.test.', 'm', '.orders.example.com'),
      )
      .filter(([pre, suf]) => pre !== '' || suf !== '')
      .map(([pre, suf]) => `${pre}${ORDERS_HOST}${suf}`),
    fc.constantFrom(
      'orders-example.com',
      'ordersexample.com',
      'orders.example.co',
      'orders.examp1e.com',
      'оrders.example.com', // Cyrillic о
      'orders.example.com.evil.test',
      'example.com',
      'orders.example',
      'orders.example.com%2eevil.test',
    ),
    safeSegment.map((label) => `${label}.${ORDERS_HOST}`),
    safeSegment.map((label) => `${ORDERS_HOST}.${label}`),
  );

  const hostTricks = lookAlikeHost.chain((host) =>
    fc.tuple(mixedCase(host), safeTail).map(([h, tail]) => `https://${h}/api${tail}`),
  );

  const targetElsewhere = fc
    .tuple(
      otherDomain(ORDERS_HOST),
      fc.constantFrom('/', '/?', '?', '#', '\\', '/#', '?https://', '#https://', '/https://', '/%2f', '/..%2f'),
    )
    .map(([evil, sep]) => `https://${evil}${sep}orders.example.com/api`);

  const userinfo = fc.oneof(
    fc
      .tuple(fc.stringMatching(/^[A-Za-z0-9._~%-]{0,10}$/), fc.stringMatching(/^[A-Za-z0-9._~%-]{0,10}$/), safeTail)
      .filter(([user, password]) => user !== '' || password !== '')
      .map(([user, password, tail]) => `https://${user}${password === '' ? '' : `:${password}`}@orders.example.com/api${tail}`),
    otherDomain(ORDERS_HOST).chain((evil) =>
      fc.constantFrom(
        `https://orders.example.com@${evil}/api`,
        `https://orders.example.com:443@${evil}/api`,
        `https://orders.example.com/api@${evil}/api`.replace('/api@', '%2fapi@'),
        `https://${evil}%5c@orders.example.com/api`,
        `https://${evil}%2f@orders.example.com/api`,
        `https://${evil}:x@orders.example.com/api`,
        `https://${evil}\\@orders.example.com/api`,
        `https://${evil}@orders.example.com@${evil}/api`,
      ),
    ),
  );

  const otherPorts = fc.tuple(otherPort(443), safeTail).map(([port, tail]) => `https://orders.example.com:${port}/api${tail}`);

  const otherSchemes = fc
    .tuple(
      fc.constantFrom('http', 'ftp', 'ws', 'wss', 'file', 'httpss', 'hxxps', 'https+x', 'data', 'view-source'),
      fc.constantFrom('://', ':', ':/', ':\\\\'),
    )
    .chain(([scheme, sep]) => mixedCase(scheme).map((s) => `${s}${sep}orders.example.com/api`))
    .map((url) => url)
    .chain((url) =>
      fc.constantFrom(url, 'javascript:https://orders.example.com/api', 'blob:https://orders.example.com/api', 'javascript://orders.example.com/api%0aalert(1)'),
    );

  const pathOutside = fc.oneof(
    fc.constantFrom('', '/', '/ap', '/a', '/apix', '/api-v2', '/api.', '/api~', '/api_', '/%41pi', '/api%00', '/api%20', '/ap%69x', '/api;x/y', '//api'),
    mixedCase('api')
      .filter((s) => s !== 'api')
      .map((s) => `/${s}`),
    safeSegment.filter((s) => s !== 'api').map((s) => `/${s}/api`),
    fc.stringMatching(/^[A-Za-z0-9_~-]{1,4}$/).map((s) => `/api${s}`),
  ).chain((path) => safeTail.map((tail) => `https://orders.example.com${path}${path.endsWith('api') || path === '' ? '' : tail}`));

  const dotEscape = fc
    .tuple(
      fc.array(safeSegment, { maxLength: 3 }),
      fc.nat({ max: 2 }),
      fc.array(fc.tuple(separator, dotDot), { minLength: 5, maxLength: 6 }),
      separator,
      fc.constantFrom('admin', 'apix', ''),
    )
    .map(([segments, extra, dots, lastSep, target]) => {
      // Enough `..` to climb out of every generated segment and out of /api itself.
      const climb = dots.slice(0, segments.length + 1 + extra);
      const below = segments.map((s) => `/${s}`).join('');
      return `https://orders.example.com/api${below}${climb.map(([sep, dd]) => sep + dd).join('')}${lastSep}${target}`;
    });

  const veryLong = fc.tuple(fc.integer({ min: 2_000, max: 100_000 }), fc.constantFrom(0, 1, 2)).map(([n, kind]) => {
    if (kind === 0) return `https://evil.test/${'orders.example.com/api/'.repeat(Math.ceil(n / 23))}`;
    if (kind === 1) return `https://${'a'.repeat(60)}.${ORDERS_HOST}.evil.test/api/${'x'.repeat(n)}`;
    return `https://orders.example.com/${'../'.repeat(Math.ceil(n / 3))}api/../admin`;
  });

  const adversarial = fc
    .tuple(
      fc.oneof(hostTricks, targetElsewhere, userinfo, otherPorts, otherSchemes, pathOutside, dotEscape),
      queryAndFragment,
    )
    .map(([url, rest]) => url + rest);

  it('gives no generated adversarial URL the token', () => {
    fc.assert(
      fc.property(adversarial, (url) => {
        expect(orders.test(url)).toBe('no-match');
      }),
      { numRuns: 4_000 },
    );
  });

  it('gives no very long adversarial URL the token', () => {
    fc.assert(
      fc.property(veryLong, (url) => {
        expect(orders.test(url)).toBe('no-match');
      }),
      { numRuns: 30 },
    );
  });

  it('stays no-match for adversarial URLs with tabs and newlines inserted anywhere', () => {
    fc.assert(
      fc.property(withTabsAndNewlines(adversarial), ([, mangled]) => {
        expect(orders.test(mangled)).toBe('no-match');
      }),
      { numRuns: 1_000 },
    );
  });

  it('matches any path built from safe segments under /api, with any query or fragment', () => {
    fc.assert(
      fc.property(safeTail, queryAndFragment, (tail, rest) => {
        expect(orders.test(`https://orders.example.com/api${tail}${rest}`)).toBe('match');
      }),
      { numRuns: 1_000 },
    );
  });

  it('matches when only the case of scheme or host differs, and not when the path case differs', () => {
    fc.assert(
      fc.property(mixedCase('https'), mixedCase(ORDERS_HOST), mixedCase('api'), safeTail, (scheme, host, api, tail) => {
        expect(orders.test(`${scheme}://${host}/api${tail}`)).toBe('match');
        expect(orders.test(`${scheme}://${host}/${api}${tail}`)).toBe(api === 'api' ? 'match' : 'no-match');
        // And the other direction: a prefix written in mixed case matches the lower-case request.
        expect(createMatcher(`${scheme}://${host}/api`).test(`https://orders.example.com/api${tail}`)).toBe('match');
      }),
      { numRuns: 500 },
    );
  });

  it('matches other spellings of a protected URL: :443, trailing dot, encoded unreserved, harmless dot segments', () => {
    const spelling = fc.tuple(
      fc.constantFrom('', ':443', ':0443'),
      fc.constantFrom('', '.'),
      // Encoded `..` is refused even when it stays under the prefix (see hidesDotDot): not a spelling here.
      fc.constantFrom('/api', '/%61pi', '/a%70%69', '/x/../api', '/./api', '/api/./', '/api/x/..', '/%2e/api'),
      safeTail,
    );
    fc.assert(
      fc.property(spelling, queryAndFragment, ([port, dot, path, tail], rest) => {
        expect(orders.test(`https://orders.example.com${dot}${port}${path}${tail}${rest}`)).toBe('match');
      }),
      { numRuns: 1_000 },
    );
  });

  it('gives a URL with tabs and newlines the verdict of the URL without them, which is what WHATWG clients request', () => {
    const anyUrl = fc.oneof(
      adversarial,
      fc.tuple(safeTail, queryAndFragment).map(([tail, rest]) => `https://orders.example.com/api${tail}${rest}`),
    );
    fc.assert(
      fc.property(withTabsAndNewlines(anyUrl), ([clean, mangled]) => {
        expect(orders.test(mangled)).toBe(orders.test(clean));
        expect(URL.canParse(mangled)).toBe(URL.canParse(clean));
        if (URL.canParse(clean)) expect(new URL(mangled).href).toBe(new URL(clean).href);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('against a port, IPv6 and loopback http configuration', () => {
  const local = createMatcher([
    'https://orders.example.com:8443/api',
    'http://[::1]:3000/v1',
    'http://localhost:8080/',
    new URL('http://127.0.0.1/svc'),
  ]);

  const adversarial = fc.oneof(
    fc.tuple(otherPort(8443), safeTail).map(([p, tail]) => `https://orders.example.com:${p}/api${tail}`),
    fc.tuple(otherPort(3000), safeTail).map(([p, tail]) => `http://[::1]:${p}/v1${tail}`),
    fc.tuple(otherPort(8080), safeTail).map(([p, tail]) => `http://localhost:${p}${tail}`),
    fc.tuple(otherPort(80), safeTail).map(([p, tail]) => `http://127.0.0.1:${p}/svc${tail}`),
    fc.constantFrom(
      'https://orders.example.com/api',
      'http://orders.example.com:8443/api',
      'https://[::1]:3000/v1',
      'https://localhost:8080/',
      'https://127.0.0.1/svc',
      'http://[::2]:3000/v1',
      'http://[::ffff:127.0.0.1]:3000/v1',
      'http://[::1]:3000/v1x',
      'http://[::1]:3000/v2',
      'http://[::1]:3000/v1/../admin',
      'http://[::1]:3000/v1%2f..%2fadmin',
      'http://127.0.0.2/svc',
      'http://127.0.0.1/svcx',
      'http://127.0.0.1/svc/..;/admin',
      'http://127.0.0.1.evil.test/svc',
      'http://localhost.evil.test:8080/',
      'http://localhost@evil.test:8080/',
      'http://evil.test:8080@localhost:8080/',
      'http://localhost:8080@evil.test/',
      'http://localhost%2eevil.test:8080/',
      'http://[::1]:3000@evil.test/v1',
    ),
    safeSegment.map((label) => `http://${label}.localhost:8080/`),
    fc.tuple(mixedCase('localhost'), safeSegment).map(([l, s]) => `http://${l}.${s}:8080/`),
  );

  it('gives no generated adversarial URL the token', () => {
    fc.assert(
      fc.property(adversarial, queryAndFragment, (url, rest) => {
        expect(local.test(url + rest)).toBe('no-match');
      }),
      { numRuns: 2_000 },
    );
  });

  it('matches every spelling of the configured origins, plain http allowed to loopback', () => {
    const good = fc.oneof(
      fc.tuple(fc.constantFrom('https://orders.example.com:8443', 'HTTPS://Orders.Example.com.:08443'), safeTail).map(([o, t]) => `${o}/api${t}`),
      fc.tuple(fc.constantFrom('http://[::1]:3000', 'http://[0:0:0:0:0:0:0:1]:3000', 'HTTP://[0::1]:3000'), safeTail).map(([o, t]) => `${o}/v1${t}`),
      fc.tuple(fc.constantFrom('http://localhost:8080', 'http://LOCALHOST.:8080', 'http://LocalHost:8080'), safeTail).map(([o, t]) => `${o}${t}`),
      fc.tuple(fc.constantFrom('http://127.0.0.1', 'http://127.1', 'http://127.0.0.1:80', 'http://0x7f.0.0.1'), safeTail).map(([o, t]) => `${o}/svc${t}`),
    );
    fc.assert(
      fc.property(good, queryAndFragment, (url, rest) => {
        expect(local.test(url + rest)).toBe('match');
      }),
      { numRuns: 1_000 },
    );
  });

  it('gives plain http to a non-loopback host that matches the insecure verdict, never match', () => {
    const insecure = createMatcher(['http://orders.internal/api', 'http://[2001:db8::1]/']);
    fc.assert(
      fc.property(fc.constantFrom('http://orders.internal/api', 'http://[2001:db8::1]/any'), safeTail, (base, tail) => {
        expect(insecure.test(base + tail)).toBe('insecure');
      }),
      { numRuns: 200 },
    );
  });
});
