/** URL matching: which outbound requests get `Authorization: Bearer`, and which never do. */
export type { MatcherOptions, MatchInput, MatchPredicate, MatchVerdict, UrlMatcher } from './types.js';
export { createMatcher } from './matcher.js';
export { isLoopbackHostname } from './loopback.js';
