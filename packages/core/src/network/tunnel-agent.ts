/**
 * An https agent whose sockets are tunnels through a forward proxy: `CONNECT host:port` (RFC 9110 §9.3.6),
 * then TLS end to end with the endpoint, verified exactly as without a proxy. Written here rather than taken
 * from `https-proxy-agent`, which hands a refused CONNECT to the request as if the endpoint had answered it
 * (a 407 would read as the token endpoint's): here it is an `MCA_PROXY_ERROR`, told apart from the endpoint's.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { ProxyServer } from './proxy.js';
import { proxyError } from './proxy-error.js';

/** The CONNECT exchange's own limit; the request's deadline (`timeoutMs`) still bounds what the caller waits. */
const CONNECT_TIMEOUT_MS = 30_000;

type ConnectionCallback = (error: Error | null, socket: Duplex) => void;

export class TunnelAgent extends https.Agent {
  readonly #proxy: ProxyServer;
  readonly #proxyTls: tls.ConnectionOptions;

  /** `proxyTls`: how an `https://` proxy itself is verified (the same CAs as the endpoint). */
  constructor(proxy: ProxyServer, options: https.AgentOptions, proxyTls: tls.ConnectionOptions) {
    super(options);
    this.#proxy = proxy;
    this.#proxyTls = proxyTls;
  }

  // Node's agent takes the socket from the callback when this returns nothing (documented for agent.createConnection).
  override createConnection(requestOptions: https.RequestOptions, callback?: ConnectionCallback): undefined {
    const options = requestOptions as tls.ConnectionOptions & { host?: string; port?: number };
    const proxy = this.#proxy;
    const host = options.host ?? 'localhost';
    const authority = `${host.includes(':') ? `[${host}]` : host}:${options.port ?? 443}`;
    let done = false;
    const settle = (error: Error | null, socket?: Socket): void => {
      if (done) return;
      done = true;
      callback?.(error, socket as Duplex);
    };
    let connect: http.ClientRequest;
    try {
      connect = this.#connectRequest(authority);
    } catch (error) {
      // Node checks some options synchronously (an https proxy named by IP on Node 26): still a typed error.
      settle(proxyError(proxy, `could not be reached (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error }));
      return undefined;
    }
    // Node answers every response to CONNECT with 'connect', whatever its status.
    connect.once('connect', (response: http.IncomingMessage, socket: Socket) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 299) {
        socket.destroy();
        settle(proxyError(proxy, `answered ${status} to CONNECT ${authority}`, { status }));
        return;
      }
      try {
        settle(null, tls.connect({ ...options, socket }));
      } catch (error) {
        socket.destroy();
        settle(error as Error);
      }
    });
    connect.once('timeout', () => connect.destroy(Object.assign(new Error('CONNECT timed out'), { code: 'ETIMEDOUT' })));
    connect.once('error', (error: NodeJS.ErrnoException) =>
      settle(proxyError(proxy, `could not be reached (${error.code ?? error.message})`, { cause: error })),
    );
    connect.end();
    return undefined;
  }

  #connectRequest(authority: string): http.ClientRequest {
    const proxy = this.#proxy;
    return (proxy.protocol === 'https:' ? https : http).request({
      host: proxy.hostname,
      port: proxy.port,
      method: 'CONNECT',
      path: authority,
      agent: false,
      timeout: CONNECT_TIMEOUT_MS,
      headers: { host: authority, ...(proxy.authorization !== undefined && { 'proxy-authorization': proxy.authorization.reveal() }) },
      ...(proxy.protocol === 'https:' && { ...this.#proxyTls, servername: proxy.servername }),
    });
  }
}
