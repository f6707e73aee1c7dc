/** The `mca_oauth.token_request` spans: started on `token:start`, ended on `token:end` or `token:error`. */
import { context, SpanKind, SpanStatusCode, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { TokenRequestEndEvent, TokenRequestErrorEvent, TokenRequestStartEvent, TokenRequestTarget } from '@mca-oauth/core';
import { ATTRIBUTE_NAMES, SPAN_NAMES } from './names.js';

/** The attributes every token request's span and metrics carry: where it went, for which route, which grant. */
export function targetAttributes(event: TokenRequestTarget & { name: string }): Attributes {
  return {
    [ATTRIBUTE_NAMES.serverAddress]: event.serverAddress,
    [ATTRIBUTE_NAMES.serverPort]: event.serverPort,
    [ATTRIBUTE_NAMES.grantType]: event.grantType,
    [ATTRIBUTE_NAMES.route]: event.name,
  };
}

/**
 * Open spans by cache key. Core makes one token request per key at a time (single flight), so a key has one
 * open span; two caches configured alike may overlap, and their spans are ended first in, first out.
 */
export class TokenSpans {
  readonly #open = new Map<string, Span[]>();
  /** Open spans whose token came from the shared store, not from the token endpoint. */
  readonly #adopted = new WeakSet<Span>();

  /** Runs in the async context of the first request that waits for the token: its active span is the parent. */
  start(tracer: Tracer, event: TokenRequestStartEvent): void {
    const span = tracer.startSpan(SPAN_NAMES.tokenRequest, { kind: SpanKind.CLIENT, attributes: targetAttributes(event) }, context.active());
    const open = this.#open.get(event.key);
    if (open === undefined) this.#open.set(event.key, [span]);
    else open.push(span);
  }

  /** The token being requested for `key` was found in the shared store (`store:adopt`). */
  adopted(key: string): void {
    const span = this.#open.get(key)?.[0];
    if (span === undefined) return;
    this.#adopted.add(span);
    span.setAttribute(ATTRIBUTE_NAMES.tokenSource, 'store');
  }

  /** Ends the span; says whether the token came from the shared store. */
  succeeded(event: TokenRequestEndEvent): boolean {
    const span = this.#take(event.key);
    if (span === undefined) return false;
    span.setStatus({ code: SpanStatusCode.OK });
    span.end();
    return this.#adopted.has(span);
  }

  failed(event: TokenRequestErrorEvent): void {
    const span = this.#take(event.key);
    if (span === undefined) return;
    span.setAttribute(ATTRIBUTE_NAMES.errorType, event.code);
    if (event.status !== undefined) span.setAttribute(ATTRIBUTE_NAMES.httpResponseStatusCode, event.status);
    // The message is core's, and never holds a secret or a token (core's secrets tests scan it).
    span.setStatus({ code: SpanStatusCode.ERROR, message: event.message });
    span.end();
  }

  /** Ends what is still open (on `disable()`), so no span is left dangling. */
  endAll(): void {
    for (const spans of this.#open.values()) for (const span of spans) span.end();
    this.#open.clear();
  }

  #take(key: string): Span | undefined {
    const open = this.#open.get(key);
    const span = open?.shift();
    if (open?.length === 0) this.#open.delete(key);
    return span;
  }
}
