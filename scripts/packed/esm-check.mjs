// Runs against the installed tarballs, as an ESM app would: every adapter stamps a matching request.
import assert from 'node:assert/strict';
import axios from 'axios';
import got from 'got';
import { Agent, request } from 'undici';
import { getAuthorizationHeader, isMcaError } from '@mca-oauth/core';
import { mcaInterceptor as axiosInterceptor } from '@mca-oauth/axios';
import { mcaHooks } from '@mca-oauth/got';
import { mcaInterceptor as undiciInterceptor } from '@mca-oauth/undici';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startDevServer, startProtectedApi } from '@mca-oauth/dev-server';
import { McaInstrumentation } from '@mca-oauth/opentelemetry';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

// Registered before the first request, as an app's SDK set-up is: the first token request makes a span.
const spans = new InMemorySpanExporter();
const instrumentation = new McaInstrumentation();
instrumentation.setTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));

const auth = await startDevServer();
const api = await startProtectedApi({ server: auth });
const options = { match: `${api.url}/api`, tokenEndpoint: auth.tokenEndpoint, clientId: DEFAULT_CLIENT_ID, secret: DEFAULT_CLIENT_SECRET, env: {} };
try {
  const viaAxios = axios.create();
  viaAxios.interceptors.request.use(axiosInterceptor(options));
  assert.equal((await viaAxios.get(`${api.url}/api/echo`)).status, 200);
  assert.ok(spans.getFinishedSpans().some((span) => span.name === 'mca_oauth.token_request'), 'the token request made a span');
  instrumentation.disable();

  const viaGot = got.extend(mcaHooks(options));
  assert.equal((await viaGot(`${api.url}/api/echo`)).statusCode, 200);

  const agent = new Agent().compose(undiciInterceptor(options));
  const response = await request(`${api.url}/api/echo`, { dispatcher: agent });
  assert.equal(response.statusCode, 200);
  await response.body.dump();
  await agent.close();

  assert.match(await getAuthorizationHeader({ protocol: 'oauth2', tokenEndpoint: auth.tokenEndpoint, clientId: DEFAULT_CLIENT_ID, secret: DEFAULT_CLIENT_SECRET, env: {} }), /^Bearer /);
  assert.equal(isMcaError(new Error('x')), false);
  console.log('esm-check: axios, got, undici, the seed API and the OpenTelemetry instrumentation work from the tarballs');
} finally {
  await api.close();
  await auth.close();
}
