/**
 * Core calls diagnostics subscribers inside `stampFor`, and a subscriber may send a request of its own, which
 * runs our interceptor again before the first request is stamped. Each request must still stamp by its own
 * headers. The stamper here is a stand-in for core's that re-enters the interceptor once.
 */
import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import type { RequestStamp, Stamper } from '@mca-oauth/core';
import { stampRequest } from '../src/stamp-request.js';

const OURS = { authorization: 'Bearer ours', dpop: undefined } as unknown as RequestStamp;

function configWith(headers: Record<string, string>): InternalAxiosRequestConfig {
  return { url: 'https://orders.example.com/api/x', method: 'get', headers: new AxiosHeaders(headers) } as InternalAxiosRequestConfig;
}

function authorizationEntries(config: InternalAxiosRequestConfig): [string, unknown][] {
  return Object.entries(config.headers).filter(([name]) => name.toLowerCase() === 'authorization');
}

describe('a stamper that stamps another request while it answers', () => {
  it('each request replaces its own header, whatever the other request carried', () => {
    const inner = configWith({ accept: 'application/json' });
    let entered = false;
    // Answers as core does under overwriteAuthorization: the caller's header is replaced.
    const stamper = {
      stampFor(): RequestStamp {
        if (!entered) {
          entered = true;
          stampRequest(stamper, inner);
        }
        return OURS;
      },
    } as unknown as Stamper;
    const outer = stampRequest(stamper, configWith({ authorization: 'Bearer the-callers' }));
    expect(entered).toBe(true);
    expect(authorizationEntries(outer)).toEqual([['authorization', 'Bearer ours']]);
    expect(authorizationEntries(inner)).toEqual([['Authorization', 'Bearer ours']]);
  });
});
