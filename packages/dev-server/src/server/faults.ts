/** Fault injection: what a fault is, and the queue that decides which request gets which fault. */
import { invalidArg } from '../lib/invalid-arg.js';

/**
 * Where a fault applies. `token` = both token endpoints; `discovery` = both well-known documents;
 * `jwks` = the JWKS and the MCA public-key endpoint.
 */
export type FaultTarget = 'token' | 'oauth-token' | 'mca-token' | 'discovery' | 'jwks';

/** The endpoint a request hit, as faults see it. */
export type FaultEndpoint = 'oauth-token' | 'mca-token' | 'discovery' | 'jwks';

/**
 * Ways to break a body. On token endpoints the fault rewrites what would have been a successful
 * answer (a real, verifiable token where the variant keeps one); a request that fails validation
 * is answered with its usual error.
 * - `non-json`: 200 with an HTML page. `truncated-json`: the JSON cut in half.
 * - token only: `missing-access-token`, `token-type-mac`, `negative-expires-in` (-60),
 *   `string-expires-in` ("3600"), `huge-expires-in` (1e20), `crlf-in-access-token` (CR LF and a
 *   fake header appended to the token).
 * - discovery only: `wrong-issuer` (issuer is `https://wrong-issuer.invalid`).
 */
export type MalformedBody =
  | 'non-json'
  | 'truncated-json'
  | 'missing-access-token'
  | 'token-type-mac'
  | 'negative-expires-in'
  | 'string-expires-in'
  | 'huge-expires-in'
  | 'crlf-in-access-token'
  | 'wrong-issuer';

interface FaultCommon {
  /** Where it applies. Default: `token`. */
  target?: FaultTarget;
  /** How many matching requests it applies to before it expires. Default: until cleared. */
  times?: number;
  /** Milliseconds to wait before answering (or before the effect). Required for `latency`. */
  latencyMs?: number;
}

/** One injected fault; a JSON object of the same shape is what `POST /__admin/faults` takes. */
export type Fault = FaultCommon &
  (
    | { type: 'latency' }
    | {
        type: 'status';
        /** 400-599. 502 and 504 get an HTML body (as a proxy sends), others a JSON error. */
        status: number;
        /** Seconds or an HTTP-date. Default: 1 for 429 and 503, absent otherwise. */
        retryAfter?: number | string;
        /** Replaces the default body. */
        body?: string;
        /** Content type of `body`. Default: text/plain. */
        contentType?: string;
      }
    | { type: 'malformed'; body: MalformedBody }
    | {
        type: 'huge-body';
        /** Megabytes of body streamed chunk by chunk, honouring backpressure (never buffered). */
        megabytes: number;
        /** Declare a Content-Length instead of streaming chunked. Default: false. */
        contentLength?: boolean;
      }
    /** Destroy the socket with a TCP RST once the request is read (the client sees ECONNRESET). */
    | { type: 'reset' }
    /** Never answer; the request is held until `close()` (or the client gives up). */
    | { type: 'hang' }
    /**
     * Token targets only: rotate the DPoP nonce and answer `400 use_dpop_nonce` with it in
     * `DPoP-Nonce` (RFC 9449 §8), whether or not nonces are required, as a server that just
     * started demanding them would.
     */
    | { type: 'use-dpop-nonce' }
  );

/** A fault in the queue, as `list()` and `GET /__admin/faults` show it. */
export interface ActiveFault {
  readonly id: number;
  readonly fault: Readonly<Fault>;
  /** Uses left; `null` = until cleared. */
  readonly remaining: number | null;
}

const TOKEN_ONLY = new Set<MalformedBody>([
  'missing-access-token',
  'token-type-mac',
  'negative-expires-in',
  'string-expires-in',
  'huge-expires-in',
  'crlf-in-access-token',
]);
const TARGETS = new Set<FaultTarget>(['token', 'oauth-token', 'mca-token', 'discovery', 'jwks']);
const MALFORMED = new Set<MalformedBody>([...TOKEN_ONLY, 'non-json', 'truncated-json', 'wrong-issuer']);

function isPositiveNumber(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0;
}

/** Validates once, when injected, so a typo fails the test that made it rather than a request. */
export function validateFault(fault: Fault): void {
  if (typeof fault !== 'object' || fault === null) throw invalidArg('fault must be an object');
  const target = fault.target ?? 'token';
  const onToken = target === 'token' || target === 'oauth-token' || target === 'mca-token';
  if (!TARGETS.has(target)) throw invalidArg(`fault.target must be one of ${[...TARGETS].join(', ')}`);
  if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times > 0)) {
    throw invalidArg('fault.times must be a positive integer');
  }
  if (fault.latencyMs !== undefined && !(typeof fault.latencyMs === 'number' && fault.latencyMs >= 0)) {
    throw invalidArg('fault.latencyMs must be a number >= 0');
  }
  switch (fault.type) {
    case 'latency':
      if (!isPositiveNumber(fault.latencyMs)) throw invalidArg('a latency fault needs latencyMs > 0');
      return;
    case 'status':
      if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) {
        throw invalidArg('fault.status must be an integer from 400 to 599');
      }
      return;
    case 'malformed':
      if (!MALFORMED.has(fault.body)) throw invalidArg(`fault.body must be one of ${[...MALFORMED].join(', ')}`);
      if (TOKEN_ONLY.has(fault.body) && !onToken) throw invalidArg(`malformed body ${fault.body} applies to token targets only`);
      if (fault.body === 'wrong-issuer' && target !== 'discovery') throw invalidArg('wrong-issuer applies to the discovery target only');
      return;
    case 'huge-body':
      if (!isPositiveNumber(fault.megabytes)) throw invalidArg('fault.megabytes must be a number > 0');
      return;
    case 'reset':
    case 'hang':
      return;
    case 'use-dpop-nonce':
      if (!onToken) throw invalidArg('a use-dpop-nonce fault applies to token targets only');
      return;
    default:
      throw invalidArg('fault.type must be latency, status, malformed, huge-body, reset, hang or use-dpop-nonce');
  }
}

function matches(target: FaultTarget, endpoint: FaultEndpoint): boolean {
  return target === endpoint || (target === 'token' && (endpoint === 'oauth-token' || endpoint === 'mca-token'));
}

interface QueuedFault {
  id: number;
  fault: Fault;
  remaining: number;
}

/**
 * Faults form a first-in-first-out queue: each request takes the oldest fault that matches its
 * endpoint, so `inject(503, times 1)` then `inject(500, times 1)` answers 503, then 500, then
 * normally.
 */
export class FaultController {
  #queue: QueuedFault[] = [];
  #nextId = 1;

  /** Queues a fault and returns its id (for `remove`). Throws a TypeError if it is invalid. */
  inject(fault: Fault): number {
    validateFault(fault);
    const id = this.#nextId++;
    this.#queue.push({ id, fault: { ...fault }, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    return id;
  }

  /** Removes one fault; returns whether it was still queued. */
  remove(id: number): boolean {
    const before = this.#queue.length;
    this.#queue = this.#queue.filter((q) => q.id !== id);
    return this.#queue.length !== before;
  }

  /** Removes every fault, or those whose target is `target`. Held (`hang`) requests stay held. */
  clear(target?: FaultTarget): void {
    this.#queue = target === undefined ? [] : this.#queue.filter((q) => (q.fault.target ?? 'token') !== target);
  }

  list(): ActiveFault[] {
    return this.#queue.map((q) => ({
      id: q.id,
      fault: { ...q.fault },
      remaining: Number.isFinite(q.remaining) ? q.remaining : null,
    }));
  }

  /** Takes one use of the oldest matching fault. The empty-queue check keeps the hot path free. */
  take(endpoint: FaultEndpoint): Fault | undefined {
    if (this.#queue.length === 0) return undefined;
    const index = this.#queue.findIndex((q) => matches(q.fault.target ?? 'token', endpoint));
    if (index === -1) return undefined;
    const queued = this.#queue[index]!;
    if (--queued.remaining <= 0) this.#queue.splice(index, 1);
    return queued.fault;
  }
}
