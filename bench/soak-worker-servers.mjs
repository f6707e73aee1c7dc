// The servers of bench/soak.mjs, in a process of their own so that the client under test and the servers it
// calls each get a core of a 2-core machine: the dev server (ES256, cheap to sign) with 2-second tokens and the
// protected API. Talks to its parent over IPC: sends `{ ready, ... }` once listening, answers `stats` with
// the counters, and closes everything and exits on `stop` (or when the parent goes away).

import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startDevServer, startProtectedApi } from '@mca-oauth/dev-server';

const tokenTtl = Number(process.env.SOAK_TOKEN_TTL ?? 2);
const auth = await startDevServer({ signingAlg: 'ES256', tokenTtl });
const api = await startProtectedApi({ server: auth });

let closing = false;
async function close() {
  if (closing) return;
  closing = true;
  await Promise.all([api.close(), auth.close()]);
  if (process.connected) process.disconnect();
}

process.on('message', async (message) => {
  if (message === 'stats') {
    const { tokenRequests } = auth.stats.snapshot();
    process.send({ stats: { tokenRequests, api: { accepted: api.stats.accepted, rejected: api.stats.rejected } } });
  } else if (message === 'stop') {
    await close();
  }
});
// The parent died or closed the channel: nothing is left to serve.
process.on('disconnect', () => void close());

process.send({
  ready: true,
  tokenEndpoint: auth.tokenEndpoint,
  apiUrl: api.url,
  clientId: DEFAULT_CLIENT_ID,
  secret: DEFAULT_CLIENT_SECRET,
  tokenTtl,
});
