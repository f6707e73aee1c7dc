/**
 * An axios instance with our interceptor whose `adapter` stands in for the network: it works out where axios's
 * http adapter would connect and which request-target it would send (axios's own buildFullPath and buildURL, as
 * lib/adapters/http.js calls them), and whether our token is in the headers it would send.
 */
import axios, { type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import buildFullPath from 'axios/unsafe/core/buildFullPath.js';
import buildURL from 'axios/unsafe/helpers/buildURL.js';
import type { McaOptions } from '@mca-oauth/core';
import { mcaInterceptor } from '@mca-oauth/axios';
import { authorizationIn, isBearer, UNSENT, type Outcome } from './fuzz-run.js';

export interface AxiosCase {
  readonly url: string;
  readonly baseURL?: string;
  readonly params?: Record<string, string>;
  readonly paramsSerializer?: keyof typeof SERIALIZERS;
  readonly allowAbsoluteUrls?: boolean;
}

const SERIALIZERS = {
  // A serializer's output always lands after `?`: these try to make it look like a path or a fragment.
  hash: { serialize: () => '#/../../admin' },
  slash: { serialize: () => '/../../admin' },
  raw: { encode: (value: string) => value },
} as const;

export function describeAxiosCase(c: AxiosCase): string {
  return JSON.stringify(c);
}

function wireOf(config: InternalAxiosRequestConfig): Outcome {
  try {
    const parsed = new URL(buildFullPath(config.baseURL, config.url, config.allowAbsoluteUrls, config));
    // The http adapter refuses other protocols (data: is decoded locally, never sent).
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return UNSENT;
    const target = buildURL(parsed.pathname + parsed.search, config.params, config.paramsSerializer).replace(/^\?/, '');
    const wire = { protocol: parsed.protocol, hostname: parsed.hostname, port: parsed.port, target };
    return { sent: true, wire, stamped: isBearer(authorizationIn(config.headers)) };
  } catch {
    return UNSENT;
  }
}

export function recordingAxios(options: McaOptions): AxiosInstance {
  const http = axios.create({
    adapter: async (config): Promise<AxiosResponse<Outcome>> => ({ data: wireOf(config), status: 200, statusText: 'OK', headers: {}, config, request: {} }),
  });
  http.interceptors.request.use(mcaInterceptor(options));
  return http;
}

export async function sendAxios(http: AxiosInstance, c: AxiosCase): Promise<Outcome> {
  try {
    const response = await http.request<Outcome>({
      method: 'get',
      url: c.url,
      baseURL: c.baseURL,
      params: c.params,
      paramsSerializer: c.paramsSerializer === undefined ? undefined : SERIALIZERS[c.paramsSerializer],
      allowAbsoluteUrls: c.allowAbsoluteUrls,
    });
    return response.data;
  } catch {
    return UNSENT; // axios refused it before the adapter (an invalid URL, a protocol without "//")
  }
}
