/**
 * Guards against composing the adapter wrongly: twice on one chain (each `compose()` adds a layer, so
 * `setGlobalDispatcher(getGlobalDispatcher().compose(mcaInterceptor()))` run per request grows the
 * stack until it overflows), or inside undici's redirect interceptor (which then re-sends our token on
 * hops we never see).
 */

/**
 * Set on the `opts` we dispatch, to the Authorization value we stamped: an mca layer further in knows
 * the header is a token, not the caller's. A registered symbol, so two copies of this package agree.
 */
export const kStampedAuthorization: unique symbol = Symbol.for('@mca-oauth/undici.stampedAuthorization');

/** Marks the factories `mcaInterceptor()` returns, so `McaAgent.compose()` can refuse them. */
export const kMcaInterceptor: unique symbol = Symbol.for('@mca-oauth/undici.interceptor');

let warnedNested = false;
let warnedRedirectInside = false;

export function warnNestedOnce(): void {
  if (warnedNested) return;
  warnedNested = true;
  process.emitWarning(
    'mcaInterceptor() ran twice for one request: it was composed onto a dispatcher that already had it ' +
      '(e.g. setGlobalDispatcher(getGlobalDispatcher().compose(mcaInterceptor())) called more than once). ' +
      'Only the outer layer stamps; compose it once, onto a new Agent: every compose() adds a layer, and ' +
      'composing per request grows the stack until it overflows.',
    { type: 'McaNestedInterceptorWarning', code: 'MCA_NESTED_INTERCEPTOR' },
  );
}

/**
 * undici's RedirectHandler adds `history` to the context of every hop it sends. Seeing it on a request
 * we stamped means the redirect interceptor runs inside ours, so its hops reuse our token unchecked.
 */
export function warnIfRedirectedInside(context: unknown): void {
  if (warnedRedirectInside) return;
  const history = (context as { history?: unknown } | null | undefined)?.history;
  if (!Array.isArray(history) || history.length === 0) return;
  warnedRedirectInside = true;
  process.emitWarning(
    'undici followed a redirect inside mcaInterceptor(), so the token was sent on a hop it could not check. ' +
      'Compose the redirect interceptor after it: agent.compose(mcaInterceptor(options), interceptors.redirect(...)).',
    { type: 'McaRedirectOrderWarning', code: 'MCA_REDIRECT_INSIDE_INTERCEPTOR' },
  );
}
