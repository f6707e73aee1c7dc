// Runs against the installed tarballs, as an old require() app would.
const assert = require('node:assert/strict');
const axios = require('axios');
const { Agent, request } = require('undici');
const core = require('@mca-oauth/core');
const { mcaInterceptor: axiosInterceptor } = require('@mca-oauth/axios');
const { mcaInterceptor: undiciInterceptor } = require('@mca-oauth/undici');
const { mcaHooks } = require('@mca-oauth/got');
const devServer = require('@mca-oauth/dev-server');
const { McaInstrumentation } = require('@mca-oauth/opentelemetry');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');

async function main() {
  const auth = await devServer.startDevServer();
  const api = await devServer.startProtectedApi({ server: auth });
  const options = { match: `${api.url}/api`, tokenEndpoint: auth.tokenEndpoint, clientId: devServer.DEFAULT_CLIENT_ID, secret: devServer.DEFAULT_CLIENT_SECRET, env: {} };
  const spans = new InMemorySpanExporter();
  const instrumentation = new McaInstrumentation();
  instrumentation.setTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
  try {
    // The seed's call, MCA protocol, as an old app makes it.
    const header = await core.getAuthorizationHeader({
      appId: devServer.DEFAULT_TENANT_ID,
      clientId: devServer.DEFAULT_CLIENT_ID,
      secret: devServer.DEFAULT_CLIENT_SECRET,
      serverUrl: auth.url,
      env: {},
    });
    assert.match(header, /^Bearer /);
    assert.ok(spans.getFinishedSpans().some((span) => span.name === 'mca_oauth.token_request'), 'the token request made a span');
    instrumentation.disable();
    const missing = await core.getAuthorizationHeader({ env: {} }).catch((error) => error);
    assert.equal(missing.code, 'MISSING_APPID_ERROR');

    const viaAxios = axios.create();
    viaAxios.interceptors.request.use(axiosInterceptor(options));
    assert.equal((await viaAxios.get(`${api.url}/api/echo`)).status, 200);

    const agent = new Agent().compose(undiciInterceptor(options));
    const response = await request(`${api.url}/api/echo`, { dispatcher: agent });
    assert.equal(response.statusCode, 200);
    await response.body.dump();
    await agent.close();

    assert.equal(typeof mcaHooks(options).hooks, 'object');
    console.log('cjs-check: the seed API, axios, undici and the OpenTelemetry instrumentation work from require()');
  } finally {
    await api.close();
    await auth.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
