/**
 * The beforeRedirect guard on hops the test world cannot serve (it has no https server): called directly
 * with the options follow-redirects hands it, as it does on every hop.
 */
import { createStamper, type RequestStamp } from '@mca-oauth/core';
import { guardRedirects } from '../src/redirect-guard.js';
import { Stamp } from '../src/stamp.js';

const TOKEN = 'Bearer unit-test-token';
// What a bearer stamp shows; a bearer hop reads nothing else of it.
const bearerStamp = () => new Stamp(stamper, { authorization: TOKEN, dpop: undefined } as unknown as RequestStamp, 'https://orders.example.com/api/x', 'GET');
const stamper = createStamper({
  match: 'https://orders.example.com/api',
  tokenEndpoint: 'https://auth.example.com/token',
  clientId: 'client',
  secret: 'secret',
  cacheSize: 1,
  env: {},
});

function hop(href: string, headers: Record<string, string>): Record<string, string> {
  const guard = guardRedirects(bearerStamp(), undefined);
  guard({ href, headers }, { headers: {}, statusCode: 302 }, { headers: {}, url: 'https://orders.example.com/api/x', method: 'GET' });
  return headers;
}

describe('the redirect guard judges each hop by the match', () => {
  it.each([
    ['https → http, same host', 'http://orders.example.com/api/y'],
    ['another port', 'https://orders.example.com:8443/api/y'],
    ['another host', 'https://evil.example.com/api/y'],
    ['a subdomain (follow-redirects keeps headers for those)', 'https://a.orders.example.com/api/y'],
    ['a path outside the prefix', 'https://orders.example.com/admin'],
    ['a path that only starts like the prefix', 'https://orders.example.com/apix'],
    ['a dot-segment escape', 'https://orders.example.com/api/../admin'],
  ])('%s: our token is taken off', (_label, href) => {
    expect(hop(href, { Authorization: TOKEN, Accept: 'application/json' })).toEqual({ Accept: 'application/json' });
  });

  it('inside the match: our token stays', () => {
    expect(hop('https://orders.example.com/api/y', { authorization: TOKEN })).toEqual({ authorization: TOKEN });
  });

  it('a header that is not ours (set by another hook) is left to axios’s policy', () => {
    expect(hop('https://evil.example.com/', { Authorization: 'Bearer someone-else' })).toEqual({ Authorization: 'Bearer someone-else' });
  });

  it('wrapping a config’s hook again replaces our guard instead of nesting it', () => {
    const calls: string[] = [];
    const callers = (): void => void calls.push('caller');
    const stamp = bearerStamp();
    const once = guardRedirects(stamp, callers);
    const twice = guardRedirects(stamp, once);
    twice({ href: 'https://orders.example.com/api/y', headers: {} }, { headers: {}, statusCode: 302 }, { headers: {}, url: '', method: 'GET' });
    expect(calls).toEqual(['caller']);
  });
});
