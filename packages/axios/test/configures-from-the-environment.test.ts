/** With no options, configuration comes from the environment (core's MCA_* variables). */
import type { EchoBody } from '@mca-oauth/dev-server';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@mca-oauth/dev-server';
import axios from 'axios';
import { installMca, McaErrorCodes } from '../src/index.js';
import { echoedAuthorization, tokenRequests, useWorld } from './harness.js';

const context = useWorld();
const VARIABLES = ['MCA_MATCH', 'MCA_TOKEN_ENDPOINT', 'MCA_CLIENT_ID', 'MCA_SECRET'] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('configuration from the environment', () => {
  it('installMca(instance) with no options stamps what MCA_MATCH covers', async () => {
    const { world } = context;
    process.env.MCA_MATCH = `${world.api.url}/api`;
    process.env.MCA_TOKEN_ENDPOINT = world.auth.tokenEndpoint;
    process.env.MCA_CLIENT_ID = DEFAULT_CLIENT_ID;
    process.env.MCA_SECRET = DEFAULT_CLIENT_SECRET;
    const http = axios.create({ baseURL: world.api.url });
    installMca(http);
    const response = await http.get<EchoBody>('/api/echo');
    expect(echoedAuthorization(response.data)).toMatch(/^Bearer /);
    const other = await http.get<EchoBody>('/public/echo');
    expect(echoedAuthorization(other.data)).toBeUndefined();
    expect(tokenRequests(world)).toBe(1);
  });

  it('with MCA_MATCH unset, refuses to start rather than stamp every URL', () => {
    delete process.env.MCA_MATCH;
    process.env.MCA_TOKEN_ENDPOINT = context.world.auth.tokenEndpoint;
    expect(() => installMca(axios.create())).toThrow(expect.objectContaining({ code: McaErrorCodes.NO_MATCH_CONFIGURED }));
  });
});
