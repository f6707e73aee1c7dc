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
