/** The URL axios will really request for a config, worked out with axios's own code. */
import { Axios, type InternalAxiosRequestConfig } from 'axios';

// An interceptor receives the config already merged with its instance's defaults, so it is resolved
// against empty defaults: `axios.getUri(config)` would merge the global `axios.defaults` in a second
// time and could add a baseURL or params this request does not have.
const resolver = new Axios({});

/**
 * `baseURL` + `url` (or `url` alone when it is absolute and `allowAbsoluteUrls` is not false) +
 * `params` through `paramsSerializer`, exactly as `getUri` builds it. Dot segments are left in:
 * core's matcher resolves them as the adapter's `new URL()` does. `undefined` when there is no
 * single URL to judge: a malformed one (axios rejects the request itself) or a `socketPath` request,
 * which goes to a local socket whatever host the URL names.
 */
export function requestUrlOf(config: InternalAxiosRequestConfig): string | undefined {
  if (config.socketPath) return undefined;
  const simple = simpleRequestUrlOf(config);
  if (simple !== undefined) return simple;
  try {
    return resolver.getUri({
      baseURL: config.baseURL,
      url: config.url,
      params: config.params,
      paramsSerializer: config.paramsSerializer,
      allowAbsoluteUrls: config.allowAbsoluteUrls,
    });
  } catch {
    return undefined;
  }
}

// What axios's isAbsoluteURL and a well-formed http(s) URL look like (lib/helpers/isAbsoluteURL.js).
const ABSOLUTE = /^([a-z][a-z\d+\-.]*:)?\/\//i;
const WELL_FORMED_HTTP = /^https?:\/\//i;
/** A well-formed http(s) URL with no tab, CR or LF, which WHATWG would strip. */
const HTTP_URL_WITHOUT_CONTROLS = /^https?:\/\/[^\t\n\r]*$/i;
/** Anything that could be read as a scheme (or hide one behind leading controls): left to axios's own checks. */
const SCHEME_LIKE = /^[\x00-\x20]|^[a-z][a-z\d+\-.]*:/i;

/**
 * The common case without `getUri`, whose `mergeConfig` costs about 1.4 µs a call: no `params`, and a
 * well-formed http(s) URL. Then axios's buildFullPath is only combineURLs (lib/core/buildFullPath.js,
 * lib/helpers/combineURLs.js), reproduced here; anything else takes `getUri` (property-tested equal).
 */
function simpleRequestUrlOf(config: InternalAxiosRequestConfig): string | undefined {
  const { url, baseURL, params } = config;
  if ((params !== undefined && params !== null) || typeof url !== 'string') return undefined;
  // The commonest request of all, an absolute http(s) URL and no baseURL, in one scan.
  if ((baseURL === undefined || baseURL === null || baseURL === '') && HTTP_URL_WITHOUT_CONTROLS.test(url)) return url;
  if (baseURL !== undefined && baseURL !== null && typeof baseURL !== 'string') return undefined;
  if (/[\t\n\r]/.test(url) || /[\t\n\r]/.test(baseURL ?? '')) return undefined;
  if (SCHEME_LIKE.test(url) && !WELL_FORMED_HTTP.test(url)) return undefined;
  const combine = Boolean(baseURL) && (!ABSOLUTE.test(url) || config.allowAbsoluteUrls === false);
  if (!WELL_FORMED_HTTP.test(combine ? (baseURL as string) : url)) return undefined;
  if (!combine) return url;
  if (url === '') return baseURL as string;
  let end = (baseURL as string).length;
  while (end > 0 && (baseURL as string).charCodeAt(end - 1) === 47 /* / */) end--;
  return `${(baseURL as string).slice(0, end)}/${url.replace(/^\/+/, '')}`;
}
