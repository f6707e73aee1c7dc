/**
 * Which proxy a token or discovery request goes through: the `proxy` option, else the environment as curl
 * reads it (`https_proxy`/`HTTPS_PROXY`, `http_proxy`/`HTTP_PROXY`, `no_proxy`/`NO_PROXY`; lowercase wins).
 */
import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { McaError, McaErrorCodes } from '../errors/index.js';
import { isLoopbackHostname } from '../matching/index.js';
import { Secret } from '../config/secret.js';
import { invalidOption } from '../config/validate.js';
import { parseNoProxy, type NoProxyRules } from './no-proxy.js';
import { PROCESS_KEY } from './process-key.js';

type Environment = Readonly<Record<string, string | undefined>>;

/** One proxy, with its credentials wrapped: `origin` is what messages show. */
export interface ProxyServer {
  /** `http://proxy.corp:3128`: never a user name or password. */
  readonly origin: string;
  readonly protocol: 'http:' | 'https:';
  readonly hostname: string;
  readonly port: number;
  /** `Basic …` for `Proxy-Authorization` (RFC 9110 §11.7.1), from the URL's `user:password@`. */
  readonly authorization?: Secret;
  /**
   * SNI for an `https://` proxy: its host name, or `''` (none) for an IP literal (RFC 6066 §3). Always set:
   * Node would otherwise take it from the Host header, which names the endpoint.
   */
  readonly servername: string;
  /** Tells agents apart without showing the credentials (a keyed hash of the whole URL). */
  readonly key: string;
}

export interface ProxySetting {
  /** The proxy for a request to `target`, or `undefined` to go direct. */
  proxyFor(target: URL): ProxyServer | undefined;
  /** Tells settings apart (`direct`, `environment`, or a keyed hash of the proxy URL), never showing credentials. */
  readonly key: string;
}

const DIRECT: ProxySetting = { proxyFor: () => undefined, key: 'direct' };

function portOf(url: URL): number {
  return url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** Parses a proxy URL; `where` names the option or variable in messages, which never show the value. */
/** `option`: the option's path when the URL came from an option, for the error's `option` detail. */
function proxyServer(value: string, where: string, schemeOptional: boolean, option?: string): ProxyServer {
  const detail = option === undefined ? {} : { option };
  // curl reads `proxy.corp:3128` in the environment as `http://proxy.corp:3128`.
  const text = schemeOptional && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? `http://${value}` : value;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new McaError(McaErrorCodes.INVALID_OPTION, `${where} must be a proxy URL such as http://proxy.example.com:3128.`, detail);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new McaError(McaErrorCodes.INVALID_OPTION, `${where} must be an http:// or https:// proxy URL (not ${url.protocol}//).`, detail);
  }
  if (url.hostname === '' || (url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new McaError(McaErrorCodes.INVALID_OPTION, `${where} must be a proxy origin, with no path, query or fragment.`, detail);
  }
  const hasCredentials = url.username !== '' || url.password !== '';
  const credentials = hasCredentials ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined;
  return {
    origin: `${url.protocol}//${url.host}`,
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: portOf(url),
    servername: isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0 ? url.hostname : '',
    ...(credentials !== undefined && { authorization: new Secret(`Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`) }),
    key: createHmac('sha256', PROCESS_KEY).update(url.href).digest('base64url'),
  };
}

function fromEnvironment(env: Environment, lower: string, upper: string): ProxyServer | undefined {
  // curl: the lowercase variable wins where both are set.
  const name = env[lower] !== undefined ? lower : upper;
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : proxyServer(value, `The environment variable ${name}`, true);
}

function environmentProxy(env: Environment): ProxySetting {
  const https = fromEnvironment(env, 'https_proxy', 'HTTPS_PROXY');
  const http = fromEnvironment(env, 'http_proxy', 'HTTP_PROXY');
  if (https === undefined && http === undefined) return DIRECT;
  const noProxy: NoProxyRules = parseNoProxy(env['no_proxy'] ?? env['NO_PROXY']);
  return {
    key: 'environment',
    proxyFor(target) {
      // A loopback endpoint is this machine: a corporate proxy could not reach it, and should not see its traffic.
      if (isLoopbackHostname(target.hostname)) return undefined;
      if (noProxy.bypasses(target.hostname, portOf(target))) return undefined;
      return target.protocol === 'https:' ? https : http;
    },
  };
}

/** `proxy: false` never proxies; a URL proxies every request (loopback too); unset reads the environment. */
export function resolveProxy(option: unknown, env: Environment): ProxySetting {
  if (option === false) return DIRECT;
  if (option === undefined || option === null) return environmentProxy(env);
  if (typeof option !== 'string' && !(option instanceof URL)) throw invalidOption('proxy', 'must be a proxy URL string or false');
  const server = proxyServer(option instanceof URL ? option.href : option.trim(), "Option 'proxy'", false, 'proxy');
  return { proxyFor: () => server, key: server.key };
}
