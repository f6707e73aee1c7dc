/** `mcaInterceptor(options)`: an undici interceptor, `options => dispatch => (opts, handler) => boolean`. */
import { createStamper, type McaOptions } from '@mca-oauth/core';
import type { Dispatcher } from 'undici';
import { kMcaInterceptor } from './composition-guards.js';
import type { Dispatch } from './dispatch-types.js';
import { dispatchWithToken } from './dispatch-with-token.js';

/**
 * Stamps `Authorization: Bearer <token>` on requests whose `origin + path` matches, for
 * `agent.compose()`. Options are validated now (an McaError if not, e.g. `MCA_NO_MATCH_CONFIGURED`);
 * without options they come from the environment.
 *
 * Compose undici's redirect interceptor after this one, so that every hop passes through it:
 * `new Agent().compose(mcaInterceptor(options), interceptors.redirect({ maxRedirections: 3 }))`.
 */
export function mcaInterceptor(options?: McaOptions): Dispatcher.DispatcherComposeInterceptor {
  const stamper = createStamper(options);
  const interceptor = (dispatch: Dispatcher.Dispatch): Dispatcher.Dispatch => {
    const next = dispatch as unknown as Dispatch;
    return function mcaIntercept(opts, handler) {
      return dispatchWithToken(stamper, next, opts as never, handler as never);
    };
  };
  return Object.defineProperty(interceptor, kMcaInterceptor, { value: true });
}
