/** The public types of URL matching: what callers configure and what `test()` answers. */

/**
 * Decides for itself whether a request URL gets the token. It is called with a private copy of the
 * parsed URL (http or https, never with userinfo), so mutating it changes nothing. Only a return value
 * of exactly `true` matches: an async predicate's Promise, a truthy string or a throw count as no match.
 */
export type MatchPredicate = (url: URL) => boolean;

/** One prefix or predicate, or several of which any may match. See `createMatcher` for the rules. */
export type MatchInput = string | URL | MatchPredicate | ReadonlyArray<string | URL | MatchPredicate>;

/**
 * `'match'`: stamp the token. `'no-match'`: leave the request alone. `'insecure'`: the URL matches but is
 * plain http to a non-loopback host, so the caller warns and does not stamp.
 */
export type MatchVerdict = 'match' | 'no-match' | 'insecure';

export interface UrlMatcher {
  /** Synchronous and cheap; never throws, whatever the input (garbage → `'no-match'`). */
  test(url: string | URL): MatchVerdict;
  /**
   * `test(origin + path)`, for a request that arrives split (undici's `opts.origin` without a trailing
   * slash, and an origin-form `opts.path`): a hit is answered without joining the two strings.
   */
  testTarget(origin: string, path: string): MatchVerdict;
}

export interface MatcherOptions {
  /**
   * Stamp tokens on plain-http requests to non-loopback hosts too. Only for networks you trust end to
   * end: anyone on the path can read and replay the token.
   *
   * **Type:** `boolean` **Default:** `false` (such requests get the `'insecure'` verdict)
   */
  allowInsecureHttp?: boolean;
  /**
   * The option's name as the user wrote it, used in error messages (`routes[1].match[0]: ...`).
   *
   * **Type:** `string` **Default:** `'match'`
   */
  optionName?: string;
}
