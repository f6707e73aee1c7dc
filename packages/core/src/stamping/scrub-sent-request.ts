/** Takes our token out of what a Node request object keeps of the headers it sent, for errors that hold one. */

import { invalidOption } from '../config/validate.js';

const REDACTED = '[redacted]';

/**
 * Node's ClientRequest keeps the request head it wrote as the string `_header`, and each header in a
 * symbol-keyed map (`kOutHeaders`), so `util.inspect` of an axios or got error (which hold the request, or
 * the response's `req`) would print our token. Replaces it in both places on each object given that has
 * them (and in what waits to be written on a socket that never connected); anything else is left alone. Call it only once the request is over (Node's own removeHeader()
 * refuses then).
 */
export function scrubSentAuthorization(authorization: string, ...requests: unknown[]): void {
  if (typeof authorization !== 'string' || authorization === '') {
    // An empty value would "match" everywhere and mangle every string it touched.
    throw invalidOption('authorization', 'must be the non-empty Authorization value that was sent');
  }
  for (const request of requests) {
    if (typeof request !== 'object' || request === null) continue;
    const holder = request as Record<string, unknown>;
    scrubString(holder, '_header', authorization);
    // Written before the socket connected: queued on the request (`outputData`) or on the socket (`_pendingData`).
    for (const chunk of Array.isArray(holder['outputData']) ? (holder['outputData'] as unknown[]) : []) {
      if (typeof chunk === 'object' && chunk !== null) scrubString(chunk as Record<string, unknown>, 'data', authorization);
    }
    const socket = holder['socket'];
    if (typeof socket === 'object' && socket !== null) scrubString(socket as Record<string, unknown>, '_pendingData', authorization);
    for (const symbol of Object.getOwnPropertySymbols(request)) {
      if (symbol.description !== 'kOutHeaders') continue;
      const headers = (request as Record<symbol, unknown>)[symbol];
      const entry = typeof headers === 'object' && headers !== null ? (headers as Record<string, unknown>)['authorization'] : undefined;
      if (Array.isArray(entry) && entry[1] === authorization) entry[1] = REDACTED;
    }
  }
}

function scrubString(holder: Record<string, unknown>, key: string, authorization: string): void {
  const value = holder[key];
  if (typeof value === 'string' && value.includes(authorization)) holder[key] = value.split(authorization).join(REDACTED);
}
