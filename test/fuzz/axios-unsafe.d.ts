/** Types for the two axios internals the fuzz uses to see where axios's http adapter really sends a request. */
declare module 'axios/unsafe/core/buildFullPath.js' {
  export default function buildFullPath(baseURL: string | undefined, url: string | undefined, allowAbsoluteUrls?: boolean, config?: unknown): string;
}
declare module 'axios/unsafe/helpers/buildURL.js' {
  export default function buildURL(url: string, params?: unknown, options?: unknown): string;
}
