/**
 * The four clients, each set up as its adapter's README says, following redirects: axios's default http adapter,
 * got, undici (`compose(mcaInterceptor, interceptors.redirect)`) and Node's global fetch through
 * `setGlobalDispatcher(new Agent().compose(mcaInterceptor(o)))`. Each `get` resolves whatever the answer.
 */
import { Agent as HttpsAgent } from 'node:https';
import axios from 'axios';
import got from 'got';
import { Agent, interceptors, request } from 'undici';
import { closeIdleTokenConnections, type McaOptions } from '@mca-oauth/core';
import { mcaInterceptor as axiosInterceptor } from '@mca-oauth/axios';
import { mcaHooks } from '@mca-oauth/got';
import { mcaInterceptor as undiciInterceptor } from '@mca-oauth/undici';
import { installGlobalDispatcher } from '../../test-support/global-dispatcher.js';

export type ClientName = 'axios' | 'got' | 'undici' | 'fetch';

export interface RedirectClient {
  /** Follows up to 5 redirects; resolves with the last status, or the error the client rejected with. */
  get(url: string): Promise<number | Error>;
  close(): Promise<void>;
}

export interface ClientSetup {
  readonly options: McaOptions;
  /** The TLS front's certificate, to trust. */
  readonly ca: string;
}

const MAX_REDIRECTS = 5;

function axiosClient({ options, ca }: ClientSetup): RedirectClient {
  const httpsAgent = new HttpsAgent({ ca, keepAlive: false });
  const http = axios.create({ httpsAgent, maxRedirects: MAX_REDIRECTS, validateStatus: () => true });
  http.interceptors.request.use(axiosInterceptor(options));
  return {
    get: (url) => http.get(url).then((response) => response.status, (error: Error) => error),
    close: async () => httpsAgent.destroy(),
  };
}

function gotClient({ options, ca }: ClientSetup): RedirectClient {
  const client = got.extend(mcaHooks(options), {
    https: { certificateAuthority: ca },
    retry: { limit: 0 },
    throwHttpErrors: false,
    maxRedirects: MAX_REDIRECTS,
  });
  return {
    get: (url) => client.get(url).then((response) => response.statusCode, (error: Error) => error),
    close: async () => {},
  };
}

function undiciClient({ options, ca }: ClientSetup): RedirectClient {
  const dispatcher = new Agent({ connect: { ca } }).compose(undiciInterceptor(options), interceptors.redirect({ maxRedirections: MAX_REDIRECTS }));
  return {
    get: async (url) => {
      try {
        const response = await request(url, { dispatcher });
        await response.body.dump();
        return response.statusCode;
      } catch (error) {
        return error as Error;
      }
    },
    close: () => dispatcher.close(),
  };
}

function fetchClient({ options, ca }: ClientSetup): RedirectClient {
  const dispatcher = new Agent({ connect: { ca } }).compose(undiciInterceptor(options));
  return {
    // An app has one global dispatcher: it is this client's only while its request runs.
    get: async (url) => {
      const restore = installGlobalDispatcher(dispatcher);
      try {
        const response = await fetch(url);
        await response.body?.cancel();
        return response.status;
      } catch (error) {
        return error as Error;
      } finally {
        restore();
      }
    },
    close: () => dispatcher.close(),
  };
}

const FACTORIES: Record<ClientName, (setup: ClientSetup) => RedirectClient> = {
  axios: axiosClient,
  got: gotClient,
  undici: undiciClient,
  fetch: fetchClient,
};

export function createRedirectClient(name: ClientName, setup: ClientSetup): RedirectClient {
  return FACTORIES[name](setup);
}

/** Closes the clients and the token connections core opened for them. */
export async function closeClients(clients: readonly (RedirectClient | undefined)[]): Promise<void> {
  await Promise.all(clients.map((client) => client?.close()));
  closeIdleTokenConnections();
}
