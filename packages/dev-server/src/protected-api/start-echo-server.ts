/** `startEchoServer`: an unprotected echo on another origin, the target of cross-origin redirects. */
import { createServer } from 'node:http';
import { closeServer, listenOnLoopback } from '../lib/listen.js';
import { splitUrl } from '../lib/send.js';
import { sendEcho } from './echo.js';
import { ReceivedLog } from './received-log.js';

export interface EchoServerOptions {
  /** Port on 127.0.0.1. Default: 0, any free port. */
  port?: number;
  /** Entries kept per path in `received`. Default: 100. */
  receivedLogSize?: number;
}

export interface EchoServer {
  /** Base URL, e.g. `http://127.0.0.1:53818`. */
  readonly url: string;
  /** What arrived, per path: assert here that no Authorization header crossed origins. */
  readonly received: ReceivedLog;
  /** Resolves once every socket is closed. */
  close(): Promise<void>;
}

/** Starts a server that answers every path with the echo of the request. */
export async function startEchoServer(options: EchoServerOptions = {}): Promise<EchoServer> {
  const received = new ReceivedLog(options.receivedLogSize ?? 100);
  const server = createServer((req, res) => {
    received.record(splitUrl(req.url).path, { method: req.method ?? 'GET', url: req.url ?? '/', authorization: req.headers.authorization });
    void sendEcho(req, res);
  });
  const url = await listenOnLoopback(server, options.port ?? 0);
  return { url, received, close: () => closeServer(server) };
}
