/** A route's name in events and logs: the user's `name`, else what its `match` says, never anything secret. */
import type { MatchInput } from '../matching/index.js';

/** Numbers predicates within one stamper: `predicate#1`, `predicate#2`, in the order routes are listed. */
export interface PredicateCounter {
  count: number;
}

function nameOfElement(element: unknown, predicates: PredicateCounter): string {
  if (typeof element === 'function') {
    predicates.count += 1;
    return `predicate#${predicates.count}`;
  }
  // Called after createMatcher accepted the prefix, so it parses and holds no userinfo, query or fragment.
  const url = new URL(typeof element === 'string' ? element : (element as URL).href);
  return `${url.origin}${url.pathname}`;
}

/** The default name: the match's origin and path (`https://api.example.com/orders/`), or `predicate#N`. */
export function defaultRouteName(match: MatchInput, predicates: PredicateCounter): string {
  const elements: readonly unknown[] = Array.isArray(match) ? match : [match];
  return elements.map((element) => nameOfElement(element, predicates)).join(' ');
}
