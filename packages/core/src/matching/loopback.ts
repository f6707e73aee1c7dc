/** isLoopbackHostname: the hosts a token may reach over plain http, for local development. */

const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const LOOPBACK_IPV4 = new RegExp(`^127\\.${IPV4_OCTET}\\.${IPV4_OCTET}\\.${IPV4_OCTET}\\.?$`);

/**
 * True for `localhost`, an address in 127.0.0.0/8 and `[::1]` (RFC 6890 §2.2.2, §2.2.3), with or without
 * a trailing dot and in any letter case; `::1` without brackets is accepted too.
 *
 * It expects a hostname as WHATWG URL serializes it (`url.hostname`): other spellings of the same
 * address (`127.1`, `0x7f.0.0.1`, `[0:0:0:0:0:0:0:1]`) are not recognized, which only costs a false
 * `'insecure'`, never a leak. Deliberately NOT loopback:
 * - `*.localhost`: RFC 6761 §6.3 asks resolvers to answer loopback, but Node resolves through the
 *   system resolver, which may forward `api.localhost` to a DNS server that answers anything.
 * - IPv4-mapped `[::ffff:127.0.0.1]` and `0.0.0.0`: not what a developer writes for a local server.
 */
export function isLoopbackHostname(hostname: string): boolean {
  if (typeof hostname !== 'string') return false;
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === 'localhost.' || host === '[::1]' || host === '::1' || LOOPBACK_IPV4.test(host);
}
