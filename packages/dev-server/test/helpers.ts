/** Small HTTP helpers for the tests: every call crosses the network to 127.0.0.1. */
import { request } from 'node:http';
import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

async function toAnswer(res: Response): Promise<Answer> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** POSTs a form (repeated values allowed) with optional extra headers. */
export async function postForm(
  url: string,
  params: Record<string, string | string[]>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) form.append(key, v);
  return toAnswer(
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: form.toString(),
    }),
  );
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return toAnswer(await fetch(url, { headers }));
}

export async function send(url: string, init: RequestInit): Promise<Answer> {
  return toAnswer(await fetch(url, init));
}

/** Basic credentials as the old MCA SDK built them: base64 of the raw `id:secret`. */
export function rawBasic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** Basic credentials as RFC 6749 §2.3.1 builds them: each part form-urlencoded first. */
export function formBasic(id: string, secret: string): string {
  const enc = (s: string): string => new URLSearchParams({ s }).toString().slice(2);
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

export function claimsOf(token: string): JWTPayload {
  return decodeJwt(token);
}

export function headerOf(token: string): ProtectedHeaderParameters {
  return decodeProtectedHeader(token);
}

/** A raw node:http request, for what fetch hides (resets, held requests). */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): { done: Promise<{ status: number; body: string }>; responded: () => boolean } {
  let responded = false;
  const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      responded = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
  return { done, responded: () => responded };
}

/** Yields to the event loop until `condition` holds (bounded by the test timeout, not a clock). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

export const CLIENT_CREDENTIALS = { grant_type: 'client_credentials' } as const;
