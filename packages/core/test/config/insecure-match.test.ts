/** Issue #14 §4: a `match` prefix over plain http to a non-loopback host is refused at creation. */
import { McaErrorCodes } from '../../src/errors/index.js';
import type { McaOptions } from '../../src/config/options.js';
import { createStamper } from '../../src/stamping/stamper.js';

const base: McaOptions = { tokenEndpoint: 'https://auth.example.com/token', clientId: 'client', secret: 'insecure-match-Secret', cacheSize: 5, env: {} };

const refused = expect.objectContaining({ code: McaErrorCodes.INVALID_OPTION });

it.each([
  ['a string', { match: 'http://orders.example.com/api/' }, "'match'"],
  ['a URL object', { match: new URL('http://orders.example.com/api/') }, "'match'"],
  ['an element of a list', { match: ['https://ok.example.com/', 'http://orders.example.com/'] }, "'match[1]'"],
  ['a route', { routes: [{ match: 'https://ok.example.com/' }, { match: 'http://orders.example.com/' }] }, "'routes[1].match'"],
])('refuses plain http to a non-loopback host in %s, naming where', (_shape, extra, where) => {
  expect(() => createStamper({ ...base, ...extra })).toThrow(refused);
  expect(() => createStamper({ ...base, ...extra })).toThrow(new RegExp(`${where.replace(/[[\]]/g, '\\$&')}.*must use https`));
});

it('accepts plain http to loopback hosts', () => {
  for (const match of ['http://127.0.0.1:8080/api/', 'http://localhost/', 'http://[::1]:3000/']) {
    expect(() => createStamper({ ...base, match })).not.toThrow();
  }
});

it('accepts it on the route that sets allowInsecureHttp, and only there', () => {
  expect(() => createStamper({ ...base, match: 'http://orders.example.com/', allowInsecureHttp: true })).not.toThrow();
  expect(() => createStamper({ ...base, routes: [{ match: 'http://orders.example.com/', allowInsecureHttp: true }] })).not.toThrow();
  expect(() =>
    createStamper({ ...base, routes: [{ match: 'http://a.example.com/', allowInsecureHttp: true }, { match: 'http://b.example.com/' }] }),
  ).toThrow(/routes\[1\]\.match/);
});

it('cannot judge a predicate up front: it is accepted, and the run-time guard still refuses to stamp', () => {
  const stamper = createStamper({ ...base, match: (url) => url.hostname === 'orders.example.com' });
  expect(stamper.authorizationFor('http://orders.example.com/api')).toBeUndefined();
  expect(stamper.matches('http://orders.example.com/api')).toBe(false);
});
