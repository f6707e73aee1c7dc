/**
 * axios parks each request on its kept-alive socket and, behind follow-redirects, never unparks it: the
 * agent's free sockets would reach a finished request's headers (an error of a later request does).
 */
import http from 'node:http';
import { inspect } from 'node:util';
import axios from 'axios';
import type { EchoBody } from '@mca-oauth/dev-server';
import { installMca, mcaInterceptor } from '../src/index.js';
import { echoedAuthorization, useWorld } from './harness.js';

const context = useWorld();

function everythingTheAgentReaches(agent: http.Agent): string {
  return inspect(agent, { showHidden: true, depth: 12 });
}

it('installMca unparks a stamped request once its response is in', async () => {
  const agent = new http.Agent({ keepAlive: true });
  try {
    const instance = axios.create({ baseURL: context.world.api.url, httpAgent: agent });
    installMca(instance, context.world.options());
    const response = await instance.get<EchoBody>('/api/echo');
    const token = echoedAuthorization(response.data)!;
    expect(token).toMatch(/^Bearer /);
    expect(Object.values(agent.freeSockets).flat()).not.toHaveLength(0);
    expect(everythingTheAgentReaches(agent)).not.toContain(token);
  } finally {
    agent.destroy();
  }
});

it('a bare mcaInterceptor, without the response interceptor, leaves it parked as axios does', async () => {
  const agent = new http.Agent({ keepAlive: true });
  try {
    const instance = axios.create({ baseURL: context.world.api.url, httpAgent: agent });
    instance.interceptors.request.use(mcaInterceptor(context.world.options()), undefined, { synchronous: true });
    const response = await instance.get<EchoBody>('/api/echo');
    expect(everythingTheAgentReaches(agent)).toContain(echoedAuthorization(response.data));
  } finally {
    agent.destroy();
  }
});
