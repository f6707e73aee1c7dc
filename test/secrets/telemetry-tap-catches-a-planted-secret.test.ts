/** The telemetry tap is not blind: a secret put into a token error's message reaches the span, and the scanner says so. */
import diagnostics from 'node:diagnostics_channel';
import { CHANNEL_NAMES } from '@mca-oauth/core';
import { findLeaks } from './leak-scanner.js';
import { SECRET, startSecretsWorld, type SecretsWorld } from './secrets-world.js';
import { tapTelemetry, type TelemetryTap } from './telemetry-tap.js';

let world: SecretsWorld;
let tap: TelemetryTap;
beforeAll(async () => {
  world = await startSecretsWorld();
  tap = tapTelemetry();
});
afterAll(async () => {
  await tap.stop();
  await world.close();
});

it('finds a secret planted in a token error message, in the exported span', async () => {
  const target = { key: 'planted', name: 'planted', serverAddress: '127.0.0.1', serverPort: 1, grantType: 'client_credentials' };
  diagnostics.channel(CHANNEL_NAMES.tokenRequestStart).publish(target);
  diagnostics.channel(CHANNEL_NAMES.tokenRequestError).publish({ ...target, durationMs: 1, code: 'MCA_TOKEN_HTTP_ERROR', message: `oops ${SECRET}`, retryInMs: 0 });
  const leaks = findLeaks(await tap.take(), world.needles(), { showHidden: false });
  expect(leaks.some((leak) => leak.includes('OpenTelemetry span mca_oauth.token_request'))).toBe(true);
});
