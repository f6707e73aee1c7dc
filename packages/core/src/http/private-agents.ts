/**
 * The connection pools that token and discovery requests use. They are core's own: token requests never go
 * through the global undici dispatcher, Node's global agents, or any user interceptor, so an app whose
 * global dispatcher stamps tokens cannot recurse into itself.
 */
import http from 'node:http';
import https from 'node:https';

// Token requests are rare (once per token lifetime per key): a few kept-alive sockets are plenty.
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 8, maxFreeSockets: 2, timeout: 30_000 };

let httpAgent: http.Agent | undefined;
let httpsAgent: https.Agent | undefined;

export function agentFor(url: URL): http.Agent {
  if (url.protocol === 'https:') return (httpsAgent ??= new https.Agent(AGENT_OPTIONS));
  return (httpAgent ??= new http.Agent(AGENT_OPTIONS));
}

/** Closes idle sockets, so a test or a short script can exit at once. */
export function closeIdleTokenConnections(): void {
  httpAgent?.destroy();
  httpsAgent?.destroy();
  httpAgent = undefined;
  httpsAgent = undefined;
}
