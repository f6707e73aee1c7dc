/**
 * fast-check arbitraries for URLs aimed at `https://orders.example.com/api`: look-alike hosts, userinfo, other
 * ports and schemes, encoded and dot segments, backslashes, tabs and newlines, very long URLs; and the spellings
 * of protected URLs that must still get the token.
 */
import fc from 'fast-check';

export const PROTECTED_PREFIX = 'https://orders.example.com/api';

const HOST = 'orders.example.com';

/** Hosts that look like the protected one; a few are only other spellings of it (WHATWG maps them back). */
const lookAlikeHost = fc.oneof(
  fc.constantFrom(
    'orders.example.com.evil.test',
    'orders-example.com',
    'ordersexample.com',
    'orders.example.co',
    'orders.examp1e.com',
    'оrders.example.com', // Cyrillic о
    'ordеrs.example.com', // Cyrillic е
    'orders.exаmple.com', // Cyrillic а
    'orders.example.com。evil.test', // ideographic full stop: a dot after IDNA
    'orders.example.com%2eevil.test',
    'orders.example.com..',
    'evil.test',
    'example.com',
    'api.orders.example.com',
    'xn--orders-example-com.test',
    '127.0.0.1',
    '[::1]',
    'ｏｒｄｅｒｓ.example.com', // fullwidth: IDNA maps it to the protected host
    'orders\u00ad.example.com', // soft hyphen: IDNA drops it
  ),
  fc.tuple(fc.constantFrom('', 'a.', 'www.', 'x-', 'evil.test.'), fc.constantFrom('', '.evil.test', '-x', '.', 'x')).map(([pre, suf]) => `${pre}${HOST}${suf}`),
  fc.stringMatching(/^[a-z0-9-]{64,80}$/).map((label) => `${label}.${HOST}`),
);

/** The protected host, spelled in ways that must still count as it. */
const protectedHost = fc.constantFrom(HOST, 'ORDERS.EXAMPLE.COM', 'Orders.Example.Com', `${HOST}.`, 'ｏｒｄｅｒｓ.example.com');

const host = fc.oneof({ weight: 3, arbitrary: protectedHost }, { weight: 2, arbitrary: lookAlikeHost });

const scheme = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('https://', 'HTTPS://', 'HtTpS://') },
  { weight: 3, arbitrary: fc.constantFrom('http://', 'ftp://', 'ws://', 'wss://', 'file://', 'httpss://', 'https+x://', 'data:') },
  { weight: 2, arbitrary: fc.constantFrom('https:', 'https:/', 'https:\\\\', 'https:///', '//', 'https:\\/', ' https://') },
);

const userinfo = fc.oneof(
  { weight: 8, arbitrary: fc.constant('') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('user@', 'u:p@', ':@', `${HOST}@`, `${HOST}:443@`, 'evil.test@', `${HOST}%40evil.test@`, 'a%3Ab@', `evil.test\\@`, `evil.test#@`, 'evil.test?@'),
  },
);

const port = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.constantFrom(':443', ':0443', ':444', ':8443', ':80', ':1', ':65535', ':65536', ':', ':443\\@evil.test') },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 65535 }).map((p) => `:${p}`) },
);

/** An origin (no path), mostly the protected one, often subtly not. */
export const origin = fc.tuple(scheme, userinfo, host, port).map(([s, u, h, p]) => `${s}${u}${h}${p}`);

/** Path segments that are, look like, or undo the prefix's segment, in every encoding servers decode. */
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('api', 'api', 'api', 'orders', 'x', 'admin', 'public', '') },
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      'API', 'Api', 'apix', 'api-x', 'api.', 'api;', 'api;v=1', 'ap', '%61pi', 'ap%69', '%41PI', 'api%20', 'api%00',
      '.', '..', '%2e', '%2E', '%2e%2e', '%2E%2e', '.%2e', '%2e.', '..;', '..;x=1', '%2e%2e;', '.;', '...', '..%00',
      '%252e%252e', '%25252e%25252e', '%2525252e%2525252e', '%c0%ae%c0%ae', '%u002e%u002e', '%ef%bc%8e%ef%bc%8e',
      'a%2f..%2f..', '..%2f', '..%5c', '%2e%2e%2f', '..\\', '\\..', '%2f', '%5c', '%252f', '%3b', '%3f', '%23', '~', '%7e',
    ),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~%;:@!$&'()*+,=-]{1,10}$/) },
);

const separator = fc.oneof(
  { weight: 8, arbitrary: fc.constant('/') },
  { weight: 2, arbitrary: fc.constantFrom('\\', '%2f', '%2F', '%5c', '%5C', '%252f', '//', '/./', ';/', '/;/') },
);

/** `/…`: a path that usually starts at the prefix's segment, then wanders. */
export const path = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(separator, segment), { minLength: 0, maxLength: 7 }))
  .map(([startAtApi, parts]) => `${startAtApi ? '/api' : ''}${parts.map(([sep, seg]) => sep + seg).join('')}`)
  .map((p) => (p.startsWith('/') || p.startsWith('\\') ? p : `/${p}`));

/** What follows the path: whatever it says, it is query or fragment. */
export const tail = fc.oneof(
  { weight: 5, arbitrary: fc.constant('') },
  {
    weight: 3,
    arbitrary: fc.constantFrom('?x=1', '?https://orders.example.com/api', '#/../admin', '?/../../admin', '#', '?', '?a=%2e%2e%2f', '#@evil.test', '?\\..\\admin'),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^[?#][A-Za-z0-9./?#%=&\\-]{0,20}$/) },
);

/** Inserts tabs, CRs and LFs at random places: WHATWG URL strips them all. */
function withWhitespace(url: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return url.chain((u) =>
    fc.array(fc.tuple(fc.nat({ max: u.length }), fc.constantFrom('\t', '\n', '\r', '\r\n')), { minLength: 1, maxLength: 3 }).map((insertions) => {
      let out = u;
      for (const [at, ws] of [...insertions].sort((a, b) => b[0] - a[0])) out = out.slice(0, at) + ws + out.slice(at);
      return out;
    }),
  );
}

const composed = fc.tuple(origin, path, tail).map(([o, p, t]) => `${o}${p}${t}`);

const placedElsewhere = fc.constantFrom(
  'https://evil.test/?https://orders.example.com/api',
  'https://evil.test/#https://orders.example.com/api',
  'https://evil.test/https://orders.example.com/api',
  'https://evil.test\\@orders.example.com/api',
  'https://orders.example.com\\@evil.test/api',
  'https://orders.example.com@evil.test/api',
  'https://orders.example.com:443@evil.test/api',
  'https://evil.test#@orders.example.com/api',
  'https://evil.test?@orders.example.com/api',
  '//orders.example.com/api/x',
  '/api/x',
  'api/x',
  'javascript:https://orders.example.com/api',
  'blob:https://orders.example.com/api',
  'https://orders.example.com/apix',
  'https://orders.example.com/ap',
  'https://orders.example.com/',
  'https://orders.example.com',
);

/** Very long URLs: long paths that escape at the end, or hosts with long labels. */
const long = fc
  .tuple(fc.integer({ min: 200, max: 2000 }), fc.constantFrom('/..', '/%2e%2e', '/..;', '', '\\..'), fc.constantFrom('/admin', '/api/x', ''))
  .map(([repeat, undo, end]) => `https://orders.example.com/api${'/a'.repeat(repeat)}${undo.repeat(repeat + 1)}${end}`);

/** One absolute-looking URL string, adversarial in one or several ways. */
export const adversarialUrl: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: composed },
  { weight: 3, arbitrary: withWhitespace(composed) },
  { weight: 2, arbitrary: placedElsewhere },
  { weight: 1, arbitrary: long },
);

/** A relative reference, as a caller passes one next to a base URL. */
export const relativeUrl: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(path, tail).map(([p, t]) => `${p}${t}`) },
  { weight: 4, arbitrary: fc.tuple(path, tail).map(([p, t]) => `${p}${t}`.replace(/^[/\\]+/, '')) },
  { weight: 1, arbitrary: fc.constantFrom('//evil.test/api', '../admin', '..', '.', '%2e%2e/admin', '..;/admin', '\\\\evil.test\\api', '?x=1', '#frag', '') },
);

/** A base URL: an origin, sometimes with a path of its own. */
export const baseUrl: fc.Arbitrary<string> = fc.tuple(origin, fc.constantFrom('', '/', '/api', '/api/', '/api/v1', '/public', '/api/..', '/apix')).map(([o, p]) => `${o}${p}`);

// The positive set: spellings of protected URLs that every reading puts under the prefix.

const safeSegment = fc.stringMatching(/^[A-Za-z0-9_~-]{1,12}$/);

/** `''`, `/`, `/a/b`, `/a/b/`: appended to `/api`, it stays under it. */
export const safeTail = fc.oneof(
  fc.constant(''),
  fc.constant('/'),
  fc.array(safeSegment, { minLength: 1, maxLength: 5 }).map((segments) => `/${segments.join('/')}`),
  fc.array(safeSegment, { minLength: 1, maxLength: 3 }).map((segments) => `/${segments.join('/')}/`),
);

/** A query or fragment that talks about other places, which must not matter. */
export const harmlessQuery = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?next=/../../admin', '?url=https://evil.test/', '?a=1&b=%2e%2e', '#/../../admin', '?x=..\\..\\admin'),
  fc.stringMatching(/^\?[A-Za-z0-9=&._~-]{0,20}$/),
);

export const protectedOrigin = fc
  .tuple(fc.constantFrom('https://', 'HTTPS://'), protectedHost, fc.constantFrom('', ':443'))
  .map(([s, h, p]) => `${s}${h}${p}`);

/** A URL string under the prefix, spelled as a caller might. */
export const protectedUrl: fc.Arbitrary<string> = fc.tuple(protectedOrigin, safeTail, harmlessQuery).map(([o, t, q]) => `${o}/api${t}${q}`);
