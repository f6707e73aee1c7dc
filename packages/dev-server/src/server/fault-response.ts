/** Carrying out a fault on a response: delay, error status, broken or endless body, reset, hang. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendText } from '../lib/send.js';
import type { Fault, MalformedBody } from './faults.js';

/** What the route does next: it was answered (or dropped), or it answers normally, maybe malformed. */
export type FaultOutcome = { answered: true } | { answered: false; malformed?: MalformedBody; demandDpopNonce?: true };

const ANSWERED: FaultOutcome = { answered: true };

/** Resolves true after `ms`, or false as soon as the response closes (client gone or server closing). */
function delay(ms: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    // The timer is cleared on close, so a closing server leaves no open handle behind.
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}

const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';

function sendStatus(res: ServerResponse, fault: Extract<Fault, { type: 'status' }>): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  const retryAfter = fault.retryAfter ?? (fault.status === 429 || fault.status === 503 ? 1 : undefined);
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  if (fault.body !== undefined) {
    sendText(res, fault.status, fault.body, fault.contentType ?? 'text/plain', headers);
  } else if (fault.status === 502 || fault.status === 504) {
    // A proxy in front of the server answers HTML, not OAuth JSON: clients must not parse it as such.
    sendText(res, fault.status, HTML_502.replaceAll('502 Bad Gateway', `${fault.status} Gateway Error`), 'text/html', headers);
  } else {
    const error = fault.status === 503 ? 'temporarily_unavailable' : 'server_error';
    sendText(res, fault.status, JSON.stringify({ error, error_description: 'injected fault' }), 'application/json', headers);
  }
}

/** Streams `megabytes` of a never-ending access token, one reused chunk at a time. */
function streamHugeBody(res: ServerResponse, megabytes: number, contentLength: boolean): void {
  const chunk = Buffer.alloc(64 * 1024, 'A');
  const prefix = '{"access_token":"';
  let remaining = Math.floor(megabytes * 1024 * 1024) - prefix.length;
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  if (contentLength) headers['content-length'] = prefix.length + Math.max(remaining, 0);
  res.writeHead(200, headers);
  res.write(prefix);
  const pump = (): void => {
    while (remaining > 0 && !res.destroyed) {
      const size = Math.min(remaining, chunk.length);
      remaining -= size;
      // Wait for 'drain' whenever the socket buffer is full: memory stays at one chunk, not N MB.
      if (!res.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

/**
 * Applies `fault` to this request. Latency comes first and composes with any other effect; a
 * `latency` or `malformed` fault then lets the route answer (the latter tells it how to break the
 * body).
 */
export async function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<FaultOutcome> {
  if (fault.latencyMs !== undefined && fault.latencyMs > 0 && !(await delay(fault.latencyMs, res))) return ANSWERED;
  switch (fault.type) {
    case 'latency':
      return { answered: false };
    case 'malformed':
      return { answered: false, malformed: fault.body };
    case 'status':
      sendStatus(res, fault);
      return ANSWERED;
    case 'huge-body':
      streamHugeBody(res, fault.megabytes, fault.contentLength === true);
      return ANSWERED;
    case 'reset':
      // resetAndDestroy sends a TCP RST (Node 16.17+), which is what a crashed peer looks like.
      req.socket.resetAndDestroy();
      return ANSWERED;
    case 'hang':
      // Nothing to do: the request stays open until the client aborts or close() destroys it.
      return ANSWERED;
    case 'use-dpop-nonce':
      // The nonce lives with the route's DPoP checker: the route answers.
      return { answered: false, demandDpopNonce: true };
  }
}

/** A successful token answer, as the routes build it before any malformation. */
export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

/** Serialises a token answer, broken as `malformed` says. Returns body text and content type. */
export function malformTokenBody(body: TokenBody, malformed: MalformedBody): { text: string; contentType: string } {
  const json = 'application/json';
  switch (malformed) {
    case 'non-json':
      return { text: '<html><body>Token service</body></html>', contentType: 'text/html' };
    case 'truncated-json': {
      const text = JSON.stringify(body);
      return { text: text.slice(0, Math.floor(text.length / 2)), contentType: json };
    }
    case 'missing-access-token': {
      const { access_token: _dropped, ...rest } = body;
      return { text: JSON.stringify(rest), contentType: json };
    }
    case 'token-type-mac':
      return { text: JSON.stringify({ ...body, token_type: 'mac' }), contentType: json };
    case 'negative-expires-in':
      return { text: JSON.stringify({ ...body, expires_in: -60 }), contentType: json };
    case 'string-expires-in':
      return { text: JSON.stringify({ ...body, expires_in: String(body.expires_in) }), contentType: json };
    case 'huge-expires-in':
      // 1e20 s: past Number.MAX_SAFE_INTEGER and past what a Date can hold once turned into ms.
      return { text: JSON.stringify({ ...body, expires_in: 1e20 }), contentType: json };
    case 'crlf-in-access-token':
      return { text: JSON.stringify({ ...body, access_token: `${body.access_token}\r\nX-Injected: yes` }), contentType: json };
    case 'wrong-issuer':
      return { text: JSON.stringify(body), contentType: json };
  }
}

/** Serialises a discovery document or JWKS, broken as `malformed` says. */
export function malformDocument(doc: Record<string, unknown>, malformed: MalformedBody): { text: string; contentType: string } {
  switch (malformed) {
    case 'non-json':
      return { text: '<html><body>Not here</body></html>', contentType: 'text/html' };
    case 'truncated-json': {
      const text = JSON.stringify(doc);
      return { text: text.slice(0, Math.floor(text.length / 2)), contentType: 'application/json' };
    }
    case 'wrong-issuer':
      return { text: JSON.stringify({ ...doc, issuer: 'https://wrong-issuer.invalid' }), contentType: 'application/json' };
    default:
      return { text: JSON.stringify(doc), contentType: 'application/json' };
  }
}
