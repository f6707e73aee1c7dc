/**
 * Refuses, at creation, a `match` prefix that is plain http to a non-loopback host: such a route could never stamp
 * (the matcher answers 'insecure' for every request), so it is a mistake to report now, not a warning per request.
 * A predicate cannot be judged up front: the matcher's run-time guard still covers it.
 */
import type { MatchInput } from '../matching/index.js';
import { compilePrefix } from '../matching/url-prefix.js';
import { invalidOption } from './validate.js';

function isUrlLike(value: unknown): value is string | URL {
  return typeof value === 'string' || value instanceof URL || Object.prototype.toString.call(value) === '[object URL]';
}

/** Call after `createMatcher` accepted `match`, so every prefix parses. */
export function refuseInsecurePrefixes(match: MatchInput, allowInsecureHttp: boolean, optionName: string): void {
  if (allowInsecureHttp) return;
  const isList = Array.isArray(match);
  const elements: readonly unknown[] = isList ? match : [match];
  elements.forEach((element, index) => {
    if (!isUrlLike(element)) return;
    const label = isList ? `${optionName}[${index}]` : optionName;
    const prefix = compilePrefix(element, label, false);
    if (prefix.verdict === 'insecure') {
      throw invalidOption(
        label,
        `(${prefix.origin}) must use https: tokens go over plain http only to loopback hosts, or with allowInsecureHttp: true on that route`,
      );
    }
  });
}
