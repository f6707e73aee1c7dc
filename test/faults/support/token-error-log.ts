/**
 * What core reported on `mca-oauth:token:error`: every failed token request with its code and the backoff it
 * chose. Node's fetch keeps a cause only if it is an Error of Node's realm, so inside Jest a fetch caller sees
 * the McaError's text rather than the McaError; the message it carries finds its code here.
 */
import diagnostics from 'node:diagnostics_channel';
import { CHANNEL_NAMES, type TokenRequestErrorEvent } from '@mca-oauth/core';

export class TokenErrorLog {
  readonly events: TokenRequestErrorEvent[] = [];
  readonly #listener = (message: unknown): void => {
    this.events.push(message as TokenRequestErrorEvent);
  };

  constructor() {
    diagnostics.subscribe(CHANNEL_NAMES.tokenRequestError, this.#listener);
  }

  /** The code of the failed token request whose McaError had this message. */
  codeOfMessage(message: string): string | undefined {
    return this.events.find((event) => event.message === message)?.code;
  }

  close(): void {
    diagnostics.unsubscribe(CHANNEL_NAMES.tokenRequestError, this.#listener);
  }
}
