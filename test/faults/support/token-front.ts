/**
 * A TCP front for the dev server's token endpoint, on 127.0.0.1: core is pointed at it instead of the server.
 * It does what the dev server's fault switches cannot: close its port and open it again (a server that is down,
 * then back), accept connections and drop them unanswered, and count the bytes that really reached the client,
 * so a bounded read is proved by what crossed the wire rather than by heap figures.
 */
import net, { type AddressInfo, type Socket } from 'node:net';

export type FrontMode = 'forward' | 'drop-unanswered';

export class TokenFront {
  readonly #upstream: { host: string; port: number };
  readonly #server: net.Server;
  readonly #sockets = new Set<Socket>();
  #port = 0;
  #mode: FrontMode = 'forward';
  #bytesToClients = 0;
  #connections = 0;

  private constructor(upstream: URL) {
    this.#upstream = { host: upstream.hostname, port: Number(upstream.port) };
    this.#server = net.createServer((client) => this.#accept(client));
  }

  /** A front for the server at `upstreamOrigin` (e.g. the dev server's `url`), listening on a free port. */
  static async start(upstreamOrigin: string): Promise<TokenFront> {
    const front = new TokenFront(new URL(upstreamOrigin));
    await front.#listen(0);
    front.#port = (front.#server.address() as AddressInfo).port;
    return front;
  }

  /** `http://127.0.0.1:<front port>` */
  get origin(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** The same URL on the front: `tokenEndpoint` of the dev server, reached through here. */
  through(url: string): string {
    const target = new URL(url);
    return `${this.origin}${target.pathname}${target.search}`;
  }

  /** Bytes of responses written to clients since the last `resetCounters()`. */
  get bytesToClients(): number {
    return this.#bytesToClients;
  }

  /** Connections accepted since the last `resetCounters()`. */
  get connections(): number {
    return this.#connections;
  }

  resetCounters(): void {
    this.#bytesToClients = 0;
    this.#connections = 0;
  }

  /** `drop-unanswered`: every connection is accepted and closed at once, before any answer. */
  set mode(mode: FrontMode) {
    this.#mode = mode;
  }

  /** False between `down()` and `up()`. */
  get listening(): boolean {
    return this.#server.listening;
  }

  /** Closes the port (connections are refused) and every open connection. */
  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  /** Opens the same port again: the server is back, at the address clients already have. */
  async up(): Promise<void> {
    await this.#listen(this.#port);
  }

  async close(): Promise<void> {
    if (this.#server.listening) await this.down();
  }

  #listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
  }

  #accept(client: Socket): void {
    this.#connections += 1;
    if (this.#mode === 'drop-unanswered') {
      client.on('error', () => undefined);
      client.destroy();
      return;
    }
    const upstream = net.connect(this.#upstream);
    this.#track(client);
    this.#track(upstream);
    upstream.on('data', (chunk: Buffer) => {
      this.#bytesToClients += chunk.length;
    });
    // pipe() honours backpressure: a client that stops reading stops the upstream too.
    client.pipe(upstream);
    upstream.pipe(client);
    const teardown = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', teardown);
    upstream.on('close', teardown);
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.#sockets.delete(socket));
  }
}
