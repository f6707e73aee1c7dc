/**
 * `NO_PROXY` as curl and undici's `EnvHttpProxyAgent` read it: a comma (or space) separated list of `*`, host
 * names (matching the name and every name under it, with or without a leading dot), `host:port`, IP literals
 * and CIDR blocks. Comparisons ignore case and a trailing dot.
 */
import { BlockList, isIP } from 'node:net';

export interface NoProxyRules {
  /** True when a request to `hostname` on `port` goes direct. */
  bypasses(hostname: string, port: number): boolean;
}

interface HostRule {
  readonly suffix: string;
  readonly port?: number;
}

const MATCHES_NOTHING: NoProxyRules = { bypasses: () => false };
const MATCHES_EVERYTHING: NoProxyRules = { bypasses: () => true };

function bare(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/** `host`, `host:port`, `[v6]`, `[v6]:port`, `v6` (a bare IPv6 literal has colons but no port). */
function splitPort(entry: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1] as string, ...(bracketed[2] !== undefined && { port: Number(bracketed[2]) }) };
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  if (withPort) return { host: withPort[1] as string, port: Number(withPort[2]) };
  return { host: entry };
}

export function parseNoProxy(value: string | undefined): NoProxyRules {
  const entries = (value ?? '').split(/[\s,]+/).map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) return MATCHES_NOTHING;
  if (entries.includes('*')) return MATCHES_EVERYTHING;
  const hosts: HostRule[] = [];
  const blocks = new BlockList();
  let hasBlocks = false;
  for (const entry of entries) {
    const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry);
    const family = cidr ? isIP(bare(cidr[1] as string)) : 0;
    if (cidr && family !== 0) {
      blocks.addSubnet(bare(cidr[1] as string), Number(cidr[2]), family === 6 ? 'ipv6' : 'ipv4');
      hasBlocks = true;
      continue;
    }
    const { host, port } = splitPort(entry);
    const suffix = bare(host).replace(/^\*?\./, '');
    if (suffix !== '') hosts.push({ suffix, ...(port !== undefined && { port }) });
  }
  return {
    bypasses(hostname, port) {
      const host = bare(hostname);
      const family = isIP(host);
      if (hasBlocks && family !== 0 && blocks.check(host, family === 6 ? 'ipv6' : 'ipv4')) return true;
      return hosts.some(
        (rule) =>
          (rule.port === undefined || rule.port === port) &&
          // An IP literal matches only itself; a name matches itself and the names under it.
          (host === rule.suffix || (family === 0 && host.endsWith(`.${rule.suffix}`))),
      );
    },
  };
}
