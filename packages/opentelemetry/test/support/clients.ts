/** One request through each adapter, the way an app makes it: axios, got, an undici Agent, and Node's global fetch. */
import axios, { isAxiosError } from 'axios';
import got from 'got';
import { Agent, request } from 'undici';
import { installMca } from '@mca-oauth/axios';
import { mcaHooks } from '@mca-oauth/got';
import { mcaInterceptor } from '@mca-oauth/undici';
import type { McaOptions } from '@mca-oauth/core';
import { installGlobalDispatcher } from '../../../../test-support/global-dispatcher.js';

export interface ClientUnderTest {
  readonly name: string;
  /** Sends a GET with the adapter set up from `options`; resolves to the status. */
  create(options: McaOptions): { get(url: string): Promise<number>; close(): Promise<void> };
}

export const clients: readonly ClientUnderTest[] = [
  {
    name: 'axios',
    create(options) {
      // axios's default validateStatus: the 401 retry sees only the 401s axios rejects.
      const instance = axios.create();
      installMca(instance, options);
      const statusOf = (error: unknown): number => {
        if (isAxiosError(error) && error.response !== undefined) return error.response.status;
        throw error;
      };
      return { get: (url) => instance.get(url).then((response) => response.status, statusOf), close: async () => undefined };
    },
  },
  {
    name: 'got',
    create(options) {
      const instance = got.extend(mcaHooks(options), { throwHttpErrors: false, retry: { limit: 0 } });
      return { get: async (url) => (await instance.get(url)).statusCode, close: async () => undefined };
    },
  },
  {
    name: 'undici',
    create(options) {
      const dispatcher = new Agent().compose(mcaInterceptor(options));
      return {
        get: async (url) => {
          const response = await request(url, { dispatcher });
          await response.body.dump();
          return response.statusCode;
        },
        close: () => dispatcher.close(),
      };
    },
  },
  {
    name: 'fetch',
    create(options) {
      const dispatcher = new Agent().compose(mcaInterceptor(options));
      const restore = installGlobalDispatcher(dispatcher);
      return {
        get: async (url) => {
          const response = await fetch(url);
          await response.arrayBuffer();
          return response.status;
        },
        close: async () => {
          restore();
          await dispatcher.close();
        },
      };
    },
  },
];
