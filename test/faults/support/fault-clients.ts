/**
 * The four ways an app puts mca-oauth in front of its requests, behind one small interface, and what each
 * client's caller sees when no token can be had (each adapter's README): the client's usual error, carrying
 * the McaError's code.
 */
import axios from 'axios';
import got, { HTTPError, RequestError } from 'got';
import { Agent, type Dispatcher } from 'undici';
import { isMcaError, type McaOptions } from '@mca-oauth/core';
import { installMca } from '@mca-oauth/axios';
import { mcaHooks } from '@mca-oauth/got';
import { mcaInterceptor } from '@mca-oauth/undici';
import { installGlobalDispatcher } from '../../../test-support/global-dispatcher.js';
import type { TokenErrorLog } from './token-error-log.js';

/** A response the caller got: its status and, for a 200, the Authorization the protected API saw. */
export interface Answer {
  readonly status: number;
  readonly authorization: string | undefined;
}

export interface FaultClient {
  /** GETs `url`: resolves with any HTTP answer (a 401 too), rejects with the client's error when no token could be had. */
  get(url: string): Promise<Answer>;
  close(): Promise<void>;
}

/** The shape of a caller's error: which of the client's error types it is, and the McaError code it carries. */
export interface FailureShape {
  readonly shape: string;
  readonly code: string | undefined;
}

export interface ClientKind {
  readonly name: string;
  /** The error type this client's callers get when no token could be had. */
  readonly errorShape: string;
  create(options: McaOptions): FaultClient;
  describeFailure(error: unknown, log: TokenErrorLog): FailureShape;
}

function authorizationOf(status: number, text: string): string | undefined {
  if (status !== 200) return undefined;
  const value = (JSON.parse(text) as { headers?: { authorization?: string } }).headers?.authorization;
  return value;
}

function unexpected(error: unknown): FailureShape {
  const name = (error as Error | undefined)?.name ?? typeof error;
  return { shape: `unexpected ${name}: ${String((error as Error | undefined)?.message ?? error)}`, code: undefined };
}

const axiosKind: ClientKind = {
  name: 'axios (installMca)',
  errorShape: 'AxiosError without response',
  create(options) {
    const http = axios.create();
    installMca(http, options);
    return {
      async get(url) {
        try {
          const response = await http.get<string>(url, { responseType: 'text' });
          return { status: response.status, authorization: authorizationOf(response.status, response.data) };
        } catch (error) {
          // An HTTP answer (a 401 the retry gave back) is not a token failure: report its status.
          if (axios.isAxiosError(error) && error.response !== undefined) return { status: error.response.status, authorization: undefined };
          throw error;
        }
      },
      close: async () => undefined,
    };
  },
  describeFailure(error) {
    if (!axios.isAxiosError(error) || error.response !== undefined) return unexpected(error);
    const cause = error.cause;
    return { shape: 'AxiosError without response', code: isMcaError(cause) && cause.code === error.code ? error.code : undefined };
  },
};

const gotKind: ClientKind = {
  name: 'got (mcaHooks)',
  errorShape: 'RequestError',
  create(options) {
    const client = got.extend(mcaHooks(options));
    return {
      async get(url) {
        try {
          const response = await client.get(url);
          return { status: response.statusCode, authorization: authorizationOf(response.statusCode, response.body) };
        } catch (error) {
          if (error instanceof HTTPError) return { status: error.response.statusCode, authorization: undefined };
          throw error;
        }
      },
      close: async () => undefined,
    };
  },
  describeFailure(error) {
    if (!(error instanceof RequestError) || error instanceof HTTPError) return unexpected(error);
    const cause = error.cause;
    return { shape: 'RequestError', code: isMcaError(cause) && cause.code === error.code ? error.code : undefined };
  },
};

function undiciRequest(dispatcher: Dispatcher, url: string): Promise<Answer> {
  const { origin, pathname, search } = new URL(url);
  return dispatcher.request({ origin, path: pathname + search, method: 'GET' }).then(async (response) => {
    const text = await response.body.text();
    return { status: response.statusCode, authorization: authorizationOf(response.statusCode, text) };
  });
}

const undiciKind: ClientKind = {
  name: 'undici (Agent.compose(mcaInterceptor))',
  errorShape: 'McaError',
  create(options) {
    const dispatcher = new Agent().compose(mcaInterceptor(options));
    return { get: (url) => undiciRequest(dispatcher, url), close: () => dispatcher.close() };
  },
  describeFailure(error) {
    return isMcaError(error) ? { shape: 'McaError', code: error.code } : unexpected(error);
  },
};

const fetchKind: ClientKind = {
  name: 'global fetch (setGlobalDispatcher)',
  errorShape: 'TypeError: fetch failed',
  create(options) {
    const dispatcher = new Agent().compose(mcaInterceptor(options));
    const restore = installGlobalDispatcher(dispatcher);
    return {
      async get(url) {
        const response = await fetch(url);
        const text = await response.text();
        return { status: response.status, authorization: authorizationOf(response.status, text) };
      },
      async close() {
        restore();
        await dispatcher.close();
      },
    };
  },
  describeFailure(error, log) {
    const failure = error as { name?: string; message?: string; cause?: unknown };
    if (failure?.name !== 'TypeError' || failure.message !== 'fetch failed') return unexpected(error);
    const cause = failure.cause as { message?: string } | undefined;
    // Outside Jest the cause is the McaError; inside, an Error of Node's realm with its text (see TokenErrorLog).
    if (isMcaError(cause)) return { shape: 'TypeError: fetch failed', code: cause.code };
    const text = String(cause?.message ?? '');
    const code = text.startsWith('McaError: ') ? log.codeOfMessage(text.slice('McaError: '.length)) : undefined;
    return { shape: 'TypeError: fetch failed', code };
  },
};

export const clientKinds: readonly ClientKind[] = [axiosKind, gotKind, undiciKind, fetchKind];

/** What `pending` rejected with; a success becomes an Error saying so, which no failure shape matches. */
export function rejectionOf(pending: Promise<unknown>): Promise<unknown> {
  return pending.then(
    () => new Error('the request succeeded'),
    (reason: unknown) => reason,
  );
}
