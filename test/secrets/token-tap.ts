/**
 * A reverse proxy in front of the authorization server that remembers every access token it hands back, so the
 * scanner knows the tokens actually issued (including the ones no request ever carried). It passes faults
 * through: a reset upstream resets the client, a held request stays held until the client gives up.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface TokenTap {
  /** `http://127.0.0.1:P`: the same paths as the authorization server. */
  readonly url: string;
  /** Every access token (or the part of one, when the body was cut) that passed through. */
  readonly tokens: ReadonlySet<string>;
  close(): Promise<void>;
}

/** Enough of a body to find a token in; a huge-body fault streams megabytes of one letter. */
const KEPT_BYTES = 64 * 1024;
const ACCESS_TOKEN = /"access_token"\s*:\s*"((?:[^"\\]|\\.)*)("?)/;

function tokenIn(body: string): string | undefined {
  const found = ACCESS_TOKEN.exec(body);
  if (found === null) return undefined;
  const [, raw = '', closed] = found;
  let token: string;
  try {
    token = closed === '"' ? (JSON.parse(`"${raw}"`) as string) : raw;
  } catch {
    token = raw;
  }
  // A cut-off or endless body: what is there is still worth looking for, unless it is one letter repeated.
  return token.length >= 16 && !/^(.)\1*$/.test(token) ? token : undefined;
}

export async function startTokenTap(target: string): Promise<TokenTap> {
  const upstream = new URL(target);
  const tokens = new Set<string>();
  const sockets = new Set<Socket>();

  const relay = (req: IncomingMessage, res: ServerResponse): void => {
    const forward = request({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent: false });
    forward.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      const kept: Buffer[] = [];
      let size = 0;
      answer.on('data', (chunk: Buffer) => {
        if (size < KEPT_BYTES) kept.push(chunk);
        size += chunk.length;
        res.write(chunk);
      });
      answer.on('end', () => {
        const token = tokenIn(Buffer.concat(kept).toString('utf8'));
        if (token !== undefined) tokens.add(token);
        res.end();
      });
      answer.on('error', () => res.destroy());
    });
    forward.on('error', () => req.socket.resetAndDestroy());
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  };

  const server = createServer(relay);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
