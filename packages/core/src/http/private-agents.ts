/**
 * The connection pools that token and discovery requests use. They are core's own: token requests never go
 * through the global undici dispatcher, Node's global agents, or any user interceptor, so an app whose
 * global dispatcher stamps tokens cannot recurse into itself. One pool per proxy and TLS setting, keyed by
 * keyed hashes (a key or a proxy password never is a map key).
 */
import http from 'node:http';
import https from 'node:https';
import type { ProxyServer, ProxySetting } from '../network/proxy.js';
import { secureContextOptions, type ResolvedTls } from '../network/tls-settings.js';
import { TunnelAgent } from '../network/tunnel-agent.js';

// Token requests are rare (once per token lifetime per key): a few kept-alive sockets are plenty.
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 8, maxFreeSockets: 2, timeout: 30_000 };

/** How token and discovery requests reach the network: which proxy, which TLS. */
export interface NetworkSettings {
  readonly proxy: ProxySetting;
  readonly tls: ResolvedTls;
}

/** Where one request goes: straight to the endpoint, or to a proxy. */
export interface Connection {
  readonly transport: typeof http | typeof https;
  readonly options: http.RequestOptions;
  /** Set when the request goes through a proxy. */
  readonly proxy?: ProxyServer;
  /** True for plain http through a proxy (absolute-form, RFC 9112 §3.2.2): the socket is the proxy's. */
  readonly forwarded: boolean;
}

const agents = new Map<string, http.Agent>();

function pooled(key: string, create: () => http.Agent): http.Agent {
  let agent = agents.get(key);
  if (agent === undefined) {
    agent = create();
    agents.set(key, agent);
  }
  return agent;
}

const NO_TLS: ResolvedTls = { hasClientCertificate: false, agentKey: '' };

export function connectionFor(url: URL, network?: NetworkSettings): Connection {
  const tls = network?.tls ?? NO_TLS;
  const proxy = network?.proxy.proxyFor(url);
  const secure = url.protocol === 'https:';
  const target = { protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, path: `${url.pathname}${url.search}` };
  if (proxy === undefined) {
    const agent = secure
      ? pooled(`https ${tls.agentKey}`, () => new https.Agent({ ...AGENT_OPTIONS, ...secureContextOptions(tls) }))
      : pooled('http', () => new http.Agent(AGENT_OPTIONS));
    return { transport: secure ? https : http, options: { ...target, agent }, forwarded: false };
  }
  // The proxy itself is verified with the same CAs as the endpoint (a corporate CA usually issued both).
  const proxyTls = tls.ca === undefined ? {} : { ca: tls.ca as https.AgentOptions['ca'] };
  if (secure) {
    const agent = pooled(`tunnel ${proxy.key} ${tls.agentKey}`, () => new TunnelAgent(proxy, { ...AGENT_OPTIONS, ...secureContextOptions(tls) }, proxyTls));
    return { transport: https, options: { ...target, agent }, proxy, forwarded: false };
  }
  const viaHttps = proxy.protocol === 'https:';
  const agent = pooled(`forward ${proxy.key} ${tls.agentKey}`, () =>
    viaHttps ? new https.Agent({ ...AGENT_OPTIONS, ...proxyTls }) : new http.Agent(AGENT_OPTIONS),
  );
  return {
    transport: viaHttps ? https : http,
    options: {
      protocol: proxy.protocol,
      hostname: proxy.hostname,
      port: proxy.port,
      path: url.href,
      agent,
      ...(viaHttps && { servername: proxy.servername }),
      headers: { host: url.host, ...(proxy.authorization !== undefined && { 'proxy-authorization': proxy.authorization.reveal() }) },
    },
    proxy,
    forwarded: true,
  };
}

/** Closes idle sockets, so a test or a short script can exit at once. */
export function closeIdleTokenConnections(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}
