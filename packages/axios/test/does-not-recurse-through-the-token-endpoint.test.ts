/**
 * Contract 6: core fetches tokens over node:http with its own agents, never through axios, so a match
 * that covers the token endpoint's own origin cannot loop.
 */
import axios from 'axios';
import type { EchoBody } from '@mca-oauth/dev-server';
import { installMca } from '../src/index.js';
import { echoedAuthorization, tokenRequests, useWorld } from './harness.js';

const context = useWorld();

describe('no recursion', () => {
  it('a match covering the token endpoint’s origin makes exactly one token request', async () => {
    const { world } = context;
    const http = axios.create();
    // The default axios instance too: a token request that went through any axios would be stamped and loop.
    const globally = installMca(axios, world.options({ match: [world.auth.url, `${world.api.url}/api`] }));
    installMca(http, world.options({ match: [world.auth.url, `${world.api.url}/api`] }));
    try {
      const response = await http.get<EchoBody>(`${world.api.url}/api/echo`);
      expect(echoedAuthorization(response.data)).toMatch(/^Bearer /);
      expect(tokenRequests(world)).toBe(1);
      // A request to the authorization server itself is stamped like any matching request.
      const metadata = await http.get<{ issuer: string }>(world.auth.metadataUrl);
      expect(metadata.data.issuer).toBe(world.auth.issuer);
      expect(metadata.config.headers.get('Authorization')).toMatch(/^Bearer /);
      expect(tokenRequests(world)).toBe(1);
    } finally {
      globally.eject();
    }
  });
});
