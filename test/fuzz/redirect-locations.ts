/**
 * fast-check arbitraries for redirect chains on the test servers: `Location` values built from the same
 * adversarial paths as the URL fuzz, on spellings of the protected origin, another origin and another port of
 * the same server, sometimes behind more redirects of the protected API.
 */
import fc from 'fast-check';
import { path, tail } from './adversarial-urls.js';

export interface ChainPorts {
  /** The protected API (match `http://127.0.0.1:api/api`). */
  readonly api: number;
  /** Another origin. */
  readonly elsewhere: number;
  /** The TLS front: another port of the protected API's server. */
  readonly front: number;
}

export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

/** A chain: each Location after the first is the `to` of the API redirect route the previous one names. */
export interface RedirectChain {
  /** Outermost first: `locations[0]` is what the first redirect answers. */
  readonly locations: readonly string[];
  readonly statuses: readonly RedirectStatus[];
}

const status = fc.constantFrom<RedirectStatus>(301, 302, 303, 307, 308);

/** A Location must be a valid header value: visible ASCII (and tabs, which WHATWG URL strips). */
const headerSafe = (text: string): boolean => /^[\t\x21-\x7e]*$/.test(text);

function hosts(ports: ChainPorts): fc.Arbitrary<string> {
  return fc.constantFrom(
    `127.0.0.1:${ports.api}`,
    `localhost:${ports.api}`,
    `127.1:${ports.api}`, // WHATWG reads it as 127.0.0.1: the protected host
    `0x7f.0.0.1:${ports.api}`,
    `127.0.0.1.:${ports.api}`,
    `127.0.0.1:${ports.elsewhere}`,
    `localhost:${ports.elsewhere}`,
    `127.0.0.1:${ports.front}`,
  );
}

const userinfo = (ports: ChainPorts) => fc.constantFrom('', '', '', 'user:pass@', `127.0.0.1:${ports.api}@`, '@');

const locationPath = fc.tuple(path, tail).map(([p, t]) => `${p}${t}`).filter(headerSafe);

/** The last Location of a chain: where it finally goes. */
function target(ports: ChainPorts): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom('http://', 'HTTP://', 'http:\\\\', 'http:/', 'https://'), userinfo(ports), hosts(ports), locationPath).map((parts) => parts.join('')) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('//', '\\\\', '/\\'), hosts(ports), locationPath).map((parts) => parts.join('')) },
    { weight: 4, arbitrary: locationPath },
    { weight: 2, arbitrary: locationPath.map((p) => p.replace(/^[/\\]+/, '')) },
    { weight: 1, arbitrary: fc.constantFrom('../public/echo', '..', '.', '', '?x=1', '#/../admin', 'echo', '../apix', './echo', '\t/api/echo') },
  );
}

/** A Location that leads to the protected API's redirect route again. */
function redirectRoute(ports: ChainPorts): fc.Arbitrary<string> {
  return fc.constantFrom(
    '/api/redirect',
    'redirect',
    '../api/redirect',
    '/api/./redirect',
    `http://127.0.0.1:${ports.api}/api/redirect`,
    `http://localhost:${ports.api}/api/redirect`,
    `//127.1:${ports.api}/api/redirect`,
    `http://127.0.0.1:${ports.front}/api/redirect`,
  );
}

export function redirectChain(ports: ChainPorts): fc.Arbitrary<RedirectChain> {
  return fc
    .tuple(fc.array(fc.tuple(redirectRoute(ports), status), { maxLength: 2 }), target(ports), status)
    .map(([routes, last, lastStatus]) => {
      // statuses[i] is the status of the redirect that answers locations[i].
      const statuses = [...routes.map(([, s]) => s), lastStatus];
      const locations = [last];
      for (let index = routes.length - 1; index >= 0; index--) {
        const [route] = routes[index]!;
        locations.unshift(`${route}?${new URLSearchParams({ to: locations[0]!, status: String(statuses[index + 1]) })}`);
      }
      return { locations, statuses };
    });
}
