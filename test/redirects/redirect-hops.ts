/**
 * The redirect guarantee as one table: every kind of hop a protected API's redirect can lead to, and whether our
 * token may go with it. Each client's test file runs all of it. A chain starts at the API's unprotected
 * `/api/redirect?to=<Location>`, which is under the match, so the first hop always carries the token.
 *
 * Covered before, in packages/*\/test: cross-origin (axios, got, undici, fetch), same origin outside the prefix
 * (all four), https → http (axios, got), inside keeps the token (all four). New here: https → http for undici and
 * fetch, another port of the same server, a path that only starts like the prefix, userinfo in Location, `..`
 * and encoded escapes in a relative Location, for all four.
 */
import type { ReceivedLog } from '@mca-oauth/dev-server';
import type { ClientName } from './redirect-clients.js';
import type { RedirectServers } from './redirect-servers.js';

export interface Hop {
  readonly name: string;
  /** Where the chain starts: the protected API over http (match `${api}/api`), or its TLS front over https. */
  readonly via: 'api' | 'tls';
  readonly status?: 301 | 302 | 303 | 307 | 308;
  /** The `Location` the API answers. */
  location(servers: RedirectServers): string;
  /** Where the hop arrives: whose log, under which path. */
  arrives(servers: RedirectServers): { log: ReceivedLog; path: string };
  /** `kept`: the hop stays inside the match. */
  readonly token: 'none' | 'kept';
  /** Where a client sends a different request than the Location says, and why. */
  readonly tokenFor?: Partial<Record<ClientName, { token: 'none' | 'kept'; because: string }>>;
}

const host = (url: string): string => new URL(url).host;

export const HOPS: readonly Hop[] = [
  {
    name: 'another origin (another server, another port)',
    via: 'api',
    location: ({ world }) => `${world.elsewhere.url}/landing`,
    arrives: ({ world }) => ({ log: world.elsewhere.received, path: '/landing' }),
    token: 'none',
  },
  {
    name: 'https → http, same host and port',
    via: 'tls',
    location: ({ front }) => `${front.httpUrl}/api/echo`,
    arrives: ({ world }) => ({ log: world.api.received, path: '/api/echo' }),
    token: 'none',
  },
  {
    name: 'another port of the same server (the TLS front forwards to the API)',
    via: 'api',
    location: ({ front }) => `${front.httpUrl}/api/echo`,
    arrives: ({ world }) => ({ log: world.api.received, path: '/api/echo' }),
    token: 'none',
  },
  {
    name: 'same origin, a path outside the prefix',
    via: 'api',
    location: () => '/public/echo',
    arrives: ({ world }) => ({ log: world.api.received, path: '/public/echo' }),
    token: 'none',
  },
  {
    name: 'same origin, a path that only starts like the prefix (/apix)',
    via: 'api',
    status: 307,
    location: () => '/apix',
    arrives: ({ world }) => ({ log: world.api.received, path: '/apix' }),
    token: 'none',
  },
  {
    name: 'userinfo that names the protected origin, in front of another host',
    via: 'api',
    location: ({ world }) => `http://${host(world.api.url)}@${host(world.elsewhere.url)}/landing`,
    arrives: ({ world }) => ({ log: world.elsewhere.received, path: '/landing' }),
    token: 'none',
  },
  {
    name: 'userinfo on the protected origin itself',
    via: 'api',
    location: ({ world }) => `http://user:pass@${host(world.api.url)}/api/echo`,
    arrives: ({ world }) => ({ log: world.api.received, path: '/api/echo' }),
    // axios's guard judges the Location as written (with userinfo: never a match) and follow-redirects sends
    // Basic credentials instead; fetch refuses to follow it. got and undici drop a same-origin Location's
    // userinfo (got puts back the first request's; undici's redirect handler dispatches origin + path): the hop
    // is the plain protected URL, and the token goes to exactly the origin and path it was fetched for.
    token: 'none',
    tokenFor: {
      got: { token: 'kept', because: 'got drops userinfo on a same-host redirect' },
      undici: { token: 'kept', because: 'the redirect handler dispatches origin + path' },
    },
  },
  {
    name: 'a relative Location that climbs out of the prefix (../public/echo)',
    via: 'api',
    location: () => '../public/echo',
    arrives: ({ world }) => ({ log: world.api.received, path: '/public/echo' }),
    token: 'none',
  },
  {
    name: 'an absolute-path Location with a dot segment (/api/../public/echo)',
    via: 'api',
    status: 308,
    location: () => '/api/../public/echo',
    arrives: ({ world }) => ({ log: world.api.received, path: '/public/echo' }),
    token: 'none',
  },
  {
    name: 'an encoded dot segment (/api/%2e%2e/public/echo)',
    via: 'api',
    location: () => '/api/%2e%2e/public/echo',
    arrives: ({ world }) => ({ log: world.api.received, path: '/public/echo' }),
    token: 'none',
  },
  {
    name: 'an encoded slash that lenient servers decode (/api/..%2fpublic%2fecho)',
    via: 'api',
    location: () => '/api/..%2fpublic%2fecho',
    arrives: ({ world }) => ({ log: world.api.received, path: '/api/..%2fpublic%2fecho' }),
    token: 'none',
  },
  {
    name: 'a 307 inside the match',
    via: 'api',
    status: 307,
    location: ({ world }) => `${world.api.url}/api/echo`,
    arrives: ({ world }) => ({ log: world.api.received, path: '/api/echo' }),
    token: 'kept',
  },
  {
    name: 'a relative Location inside the match (echo)',
    via: 'api',
    location: () => 'echo',
    arrives: ({ world }) => ({ log: world.api.received, path: '/api/echo' }),
    token: 'kept',
  },
  {
    name: 'https → https inside the match',
    via: 'tls',
    location: ({ front }) => `${front.httpsUrl}/api/echo`,
    arrives: ({ world }) => ({ log: world.api.received, path: '/api/echo' }),
    token: 'kept',
  },
];
