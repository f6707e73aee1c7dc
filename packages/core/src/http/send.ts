/** One bounded HTTP exchange with a token or discovery endpoint: a deadline, an abort signal and a size cap. */
import type { ClientRequest, IncomingHttpHeaders } from 'node:http';
import { McaError, McaErrorCodes, isMcaError } from '../errors/index.js';
import { proxyError } from '../network/proxy-error.js';
import { explainTlsFailure } from '../network/tls-failure.js';
import { connectionFor, type Connection, type NetworkSettings } from './private-agents.js';

export interface HttpExchange {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface SendOptions {
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** Larger responses are cut off unread: a token response is a few kilobytes. */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  /** What the request is for, in messages ("token request", "discovery request"). */
  readonly purpose: string;
  /** Proxy and TLS settings. Default: direct, Node's CAs. */
  readonly network?: NetworkSettings;
}

/** 1 MiB: far above any real token or metadata document, far below what would hurt memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

function describeTarget(url: URL): string {
  // Origin and path only: a query could carry something the user did not mean to log.
  return `${url.origin}${url.pathname}`;
}

/** A failure before any response: the proxy's when it went through one, else the endpoint's (with the TLS reason). */
function connectionFailure(error: NodeJS.ErrnoException, connection: Connection, purpose: string, target: string): McaError {
  if (isMcaError(error)) return error;
  if (connection.forwarded && connection.proxy !== undefined) {
    return proxyError(connection.proxy, `failed the ${purpose} to ${target} (${error.code ?? error.message})`, { cause: error });
  }
  const reason = error.code ?? error.message;
  return new McaError(McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE, `The ${purpose} to ${target} failed: ${reason}${explainTlsFailure(error.code)}.`, {
    cause: error,
  });
}

export function send(url: URL, options: SendOptions): Promise<HttpExchange> {
  return new Promise<HttpExchange>((resolve, reject) => {
    const target = describeTarget(url);
    if (options.signal?.aborted) {
      reject(new McaError(McaErrorCodes.ABORTED, `The ${options.purpose} to ${target} was aborted.`, { cause: options.signal.reason }));
      return;
    }
    let settled = false;
    const connection = connectionFor(url, options.network);
    const body = options.body === undefined ? undefined : Buffer.from(options.body, 'utf8');
    let request: ClientRequest;
    try {
      request = connection.transport.request({
        ...connection.options,
        method: options.method,
        headers: {
          ...connection.options.headers,
          ...options.headers,
          ...(body !== undefined && { 'content-length': String(body.length) }),
        },
      });
    } catch (error) {
      // Node checks some options synchronously (a TLS setting it refuses): still a typed error, never a throw.
      reject(connectionFailure(error as NodeJS.ErrnoException, connection, options.purpose, target));
      return;
    }

    const finish = (error: McaError | undefined, exchange?: HttpExchange, alreadyBroken = false): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) {
        // A request that failed by itself is torn down by Node already; destroying it again races its socket.
        if (!alreadyBroken) request.destroy();
        reject(error);
      } else {
        resolve(exchange as HttpExchange);
      }
    };
    const onAbort = (): void =>
      finish(new McaError(McaErrorCodes.ABORTED, `The ${options.purpose} to ${target} was aborted.`, { cause: options.signal?.reason }));
    const deadline = setTimeout(
      () => finish(new McaError(McaErrorCodes.TOKEN_TIMEOUT, `The ${options.purpose} to ${target} took longer than ${options.timeoutMs} ms.`)),
      options.timeoutMs,
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });

    request.on('error', (error: NodeJS.ErrnoException) => finish(connectionFailure(error, connection, options.purpose, target), undefined, true));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status === 407 && connection.proxy !== undefined) {
        finish(proxyError(connection.proxy, `answered 407 to the ${options.purpose} to ${target}`, { status }));
        response.destroy();
        return;
      }
      const declared = Number(response.headers['content-length']);
      const tooLarge = (): McaError =>
        new McaError(
          McaErrorCodes.TOKEN_INVALID_RESPONSE,
          `The ${options.purpose} to ${target} answered more than ${options.maxBytes} bytes; it was not read.`,
          { status },
        );
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        finish(tooLarge());
        response.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > options.maxBytes) {
          finish(tooLarge());
          response.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => finish(undefined, { status, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', (error) =>
        finish(
          new McaError(McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE, `The ${options.purpose} to ${target} broke off while answering.`, {
            cause: error,
            status,
          }),
        ),
      );
      response.on('aborted', () =>
        finish(new McaError(McaErrorCodes.TOKEN_ENDPOINT_UNREACHABLE, `The ${options.purpose} to ${target} broke off while answering.`, { status })),
      );
    });
    request.end(body);
  });
}
