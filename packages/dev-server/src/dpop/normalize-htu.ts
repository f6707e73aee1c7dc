/** Comparing `htu` with the URL a request reached (RFC 9449 §4.3 step 9). */

/**
 * Scheme, host and path of `url` after RFC 3986 §6 normalization (WHATWG URL lowercases scheme
 * and host, drops a default port and resolves dot segments), without query and fragment;
 * undefined when `url` is not an absolute URL.
 */
export function normalizeHtu(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
