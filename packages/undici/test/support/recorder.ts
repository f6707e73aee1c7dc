/** An interceptor that records what reaches it: composed inside ours, it shows what we dispatched. */
import type { Dispatcher } from 'undici';

export interface Recorded {
  readonly opts: Dispatcher.DispatchOptions;
  readonly handler: Dispatcher.DispatchHandler;
}

export function recordingInterceptor(log: Recorded[]): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) =>
    function record(opts, handler) {
      log.push({ opts, handler });
      return dispatch(opts, handler);
    };
}

/** The Authorization values in headers as undici takes them (object or flat array), in order. */
export function authorizationsIn(headers: unknown): unknown[] {
  if (headers === null || headers === undefined) return [];
  if (Array.isArray(headers)) {
    const values: unknown[] = [];
    for (let index = 0; index + 1 < headers.length; index += 2) {
      if (String(headers[index]).toLowerCase() === 'authorization') values.push(headers[index + 1]);
    }
    return values;
  }
  return Object.entries(headers as Record<string, unknown>)
    .filter(([name]) => name.toLowerCase() === 'authorization')
    .map(([, value]) => value);
}
