/**
 * One port that speaks both https and plain http and forwards both to an http origin (the protected API), so a
 * test can redirect from `https://127.0.0.1:P` to `http://127.0.0.1:P`: same host, same port, another scheme,
 * the case got 14 does not treat as a new origin (it compares host and port only).
 */
import { connect, createServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Duplex } from 'node:stream';
import { createSelfSignedCertificate } from './self-signed-certificate.js';

export interface TlsFront {
  /** `https://127.0.0.1:P`, forwarded to the target. */
  readonly httpsUrl: string;
  /** `http://127.0.0.1:P`: the same port, plain text, forwarded to the same target. */
  readonly httpUrl: string;
  /** The PEM certificate the https side presents: trust it (`https.certificateAuthority` in got, `ca` in undici). */
  readonly certificate: string;
  close(): Promise<void>;
}

/** A TLS record of type handshake starts with 0x16 (RFC 8446 §5.1); an HTTP request line never does. */
const TLS_HANDSHAKE = 0x16;

export async function startTlsFront(target: string): Promise<TlsFront> {
  const { port, hostname } = new URL(target);
  const { cert, key } = createSelfSignedCertificate('127.0.0.1');
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const forward = (client: Duplex): void => {
    const upstream = connect(Number(port), hostname);
    track(upstream);
    const destroyBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', destroyBoth).on('close', destroyBoth);
    upstream.on('error', destroyBoth).on('close', destroyBoth);
    client.pipe(upstream).pipe(client);
  };
  const tlsServer = createTlsServer({ cert, key }, forward);
  tlsServer.on('tlsClientError', (_error, socket) => socket.destroy());
  const server = createServer((socket) => {
    track(socket);
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first[0] === TLS_HANDSHAKE) tlsServer.emit('connection', socket);
      else forward(socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const frontPort = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    httpsUrl: `https://127.0.0.1:${frontPort}`,
    httpUrl: `http://127.0.0.1:${frontPort}`,
    certificate: cert,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
