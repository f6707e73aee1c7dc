/** The echo answer: what the server received, as JSON. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../lib/read-body.js';
import { sendJson } from '../lib/send.js';

/** Larger bodies get 413; echoing them back would only measure memory copies. */
export const ECHO_BODY_LIMIT = 1024 * 1024;

/** The JSON body of an echo answer. */
export interface EchoBody {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The request body as UTF-8 text ('' when none). */
  body: string;
  /** Claims of the verified access token (protected routes only). */
  claims?: Record<string, unknown>;
}

/** Reads the body and answers 200 with `{ method, url, headers, body }` (plus `claims`). */
export async function sendEcho(req: IncomingMessage, res: ServerResponse, claims?: Record<string, unknown>): Promise<void> {
  let body: string;
  try {
    body = await readBody(req, ECHO_BODY_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLargeError) sendJson(res, 413, { error: 'body_too_large' });
    return;
  }
  const echo: EchoBody = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
  if (claims) echo.claims = claims;
  sendJson(res, 200, echo);
}
