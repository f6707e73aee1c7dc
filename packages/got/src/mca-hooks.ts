/** mcaHooks: the options object that `got.extend()` takes to stamp, strip, retry and redact. */
import { createStamper, type McaOptions } from '@mca-oauth/core';
import type { AfterResponseHook, BeforeErrorHook, BeforeRedirectHook, BeforeRequestHook } from 'got';
import { redactBeforeError } from './redact-before-error.js';
import { RequestMemories } from './request-memory.js';
import { retryAfterRejection } from './retry-after-rejection.js';
import { stampBeforeRequest } from './stamp-before-request.js';
import { stripBeforeRedirect } from './strip-before-redirect.js';

/** Hooks for `got.extend()`; `extend` appends them to the instance's own hooks. */
export interface McaGotOptions {
  hooks: {
    beforeRequest: BeforeRequestHook[];
    beforeRedirect: BeforeRedirectHook[];
    afterResponse: AfterResponseHook[];
    beforeError: BeforeErrorHook[];
  };
}

/**
 * `got.extend(mcaHooks({ match: 'https://orders.example.com/api/' }))`: requests whose URL matches get
 * `Authorization: Bearer <token>`, every other request is left alone.
 *
 * @param options core's options; without them, configuration comes from the environment.
 * @throws McaError (code `MCA_NO_MATCH_CONFIGURED`, `MCA_INVALID_OPTION`, ...) when the configuration is
 *   unusable: checked once, here, never per request.
 */
export function mcaHooks(options?: McaOptions): McaGotOptions {
  const stamper = createStamper(options);
  const memories = new RequestMemories();
  return {
    hooks: {
      beforeRequest: [stampBeforeRequest(stamper, memories)],
      beforeRedirect: [stripBeforeRedirect(stamper, memories)],
      afterResponse: [retryAfterRejection(stamper, memories)],
      beforeError: [redactBeforeError(memories)],
    },
  };
}
