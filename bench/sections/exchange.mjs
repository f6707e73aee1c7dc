// Section 7, token exchange (issue #16). Storm: concurrent requests for users nobody has exchanged for yet
// make one exchange per user (1 for 1,000 requests of one user; 100 for 100 users), counted by the dev server
// per subject. Memory (exchange-memory-child.mjs, --expose-gc): 100,000 distinct users through a cache of
// 1,000 keep the heap flat, and cache hits after that do not grow it. The hit cost is in section 1b
// (group "token exchange"). Users' tokens come from the dev server's /__admin/user-tokens.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { mcaInterceptor, onBehalfOf } from '@mca-oauth/undici';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@mca-oauth/dev-server';
import { lastJsonLine } from '../lib/child-json.mjs';

const CHILD = fileURLToPath(new URL('./exchange-memory-child.mjs', import.meta.url));

/** `count` users' tokens (`${prefix}-0` …), minted by the dev server at `url`, 1,000 per call. */
export async function userTokens(url, prefix, count, from = 0) {
  const tokens = [];
  for (let start = from; start < from + count; start += 1000) {
    const batch = Math.min(1000, from + count - start);
    const response = await fetch(`${url}/__admin/user-tokens?${new URLSearchParams({ count: String(batch), from: String(start), prefix })}`);
    if (!response.ok) throw new Error(`user-tokens answered ${response.status}`);
    tokens.push(...(await response.json()).tokens);
  }
  return tokens;
}

async function exchangesOf(url) {
  return (await fetch(`${url}/__admin/exchanges`)).json();
}

async function storm(servers, api, { users, requestsPerUser }, prefix) {
  const { url, tokenEndpoint } = servers.rotating;
  const subjects = await userTokens(url, prefix, users);
  const agent = new Agent({ connections: 128 }).compose(
    mcaInterceptor({ routes: [{ match: `${api}/api/`, exchange: {} }], tokenEndpoint, clientId: DEFAULT_CLIENT_ID, secret: DEFAULT_CLIENT_SECRET, cacheSize: Math.max(100, users), env: {} }),
  );
  let failures = 0;
  let firstError;
  const started = performance.now();
  try {
    await Promise.all(
      subjects.flatMap((subject) =>
        Array.from({ length: requestsPerUser }, () =>
          onBehalfOf(subject, async () => {
            try {
              const response = await request(`${api}/api/echo`, { dispatcher: agent });
              await response.body.dump();
              if (response.statusCode !== 200) failures++;
            } catch (error) {
              failures++;
              firstError ??= String(error);
            }
          }),
        ),
      ),
    );
  } finally {
    await agent.close();
  }
  const counts = await exchangesOf(url);
  const exchanges = Object.entries(counts).filter(([sub]) => sub.startsWith(`${prefix}-`)).map(([, n]) => n);
  const total = exchanges.reduce((sum, n) => sum + n, 0);
  return {
    users,
    requests: users * requestsPerUser,
    exchanges: total,
    failures,
    firstError,
    ms: Math.round(performance.now() - started),
    // One exchange per user, every request answered 200.
    ok: failures === 0 && total === users && exchanges.every((n) => n === 1),
  };
}

/** `profile` = `{ storms: [{ users, requestsPerUser }], memory: { users, cacheSize, stampings } }`. */
export async function runExchange(servers, profile, log) {
  const api = await servers.call('api', { name: 'exchange', server: 'rotating' });
  const runId = Date.now().toString(36);
  const storms = [];
  for (const [index, shape] of profile.storms.entries()) {
    log(`exchange storm: ${shape.users} new user(s) × ${shape.requestsPerUser} concurrent requests`);
    storms.push(await storm(servers, api, shape, `storm${index}-${runId}`));
  }
  const { users, cacheSize, stampings } = profile.memory;
  log(`exchange memory: ${users} users through a cache of ${cacheSize}, then ${stampings} cache-hit stampings`);
  const args = ['--expose-gc', CHILD, servers.rotating.url, servers.rotating.tokenEndpoint, users, cacheSize, stampings, `memory-${runId}`].map(String);
  const stdout = await new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 1 << 20, timeout: 900_000 }, (error, out, err) =>
      error ? reject(new Error(`exchange memory child failed: ${error.message}\n${err}`)) : resolve(out),
    );
  });
  const memory = lastJsonLine(stdout);
  memory.ok = memory.cacheSizeAfterUsers <= cacheSize && memory.tokenErrors === 0 && memory.hitMisses === 0 && memory.exchanges === users;
  return { storms, memory };
}
