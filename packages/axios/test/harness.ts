/** Shared set-up: a test world on 127.0.0.1 and axios instances wired to it. */
import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import type { EchoBody } from '@mca-oauth/dev-server';
import type { McaOptions } from '@mca-oauth/core';
import { startTestWorld, type TestWorld } from '../../../test-support/world.js';
import { installMca, type McaInstallation } from '../src/index.js';

/** Starts a world before the file's tests, resets its counters and faults before each, closes it after them. */
export function useWorld(): { readonly world: TestWorld } {
  const holder = {} as { world: TestWorld };
  beforeAll(async () => {
    holder.world = await startTestWorld();
  });
  beforeEach(() => {
    const { auth, api, elsewhere } = holder.world;
    auth.faults.clear();
    auth.stats.reset();
    api.rejectNext(0);
    api.stats.reset();
    api.received.clear();
    elsewhere.received.clear();
  });
  afterAll(async () => {
    await holder.world?.close();
  });
  return holder;
}

/** A fresh instance with both interceptors, its own token cache, and `baseURL` = the protected API. */
export function protectedClient(
  world: TestWorld,
  extra: Partial<McaOptions> = {},
  defaults: CreateAxiosDefaults = {},
): { http: AxiosInstance; installation: McaInstallation } {
  const http = axios.create({ baseURL: world.api.url, ...defaults });
  const installation = installMca(http, world.options(extra));
  return { http, installation };
}

/** The Authorization header the echo server saw. */
export function echoedAuthorization(body: EchoBody): string | undefined {
  const value = body.headers.authorization;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Token requests the dev server has answered or failed so far. */
export function tokenRequests(world: TestWorld): number {
  return world.auth.stats.tokenRequests;
}
