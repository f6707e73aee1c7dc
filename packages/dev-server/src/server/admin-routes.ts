/** `/__admin/*`: faults, counters and token lifetime over HTTP, for tests in another process. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../lib/read-body.js';
import { sendJson, splitUrl } from '../lib/send.js';
import type { ServerContext } from './context.js';
import { PATHS } from './defaults.js';
import { validateFault, type Fault, type FaultTarget } from './faults.js';
import { signUserTokens } from './user-tokens.js';

function noContent(res: ServerResponse): void {
  res.writeHead(204).end();
}

function badRequest(res: ServerResponse, message: string): void {
  sendJson(res, 400, { error: 'invalid_request', error_description: message });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  return JSON.parse(await readBody(req, 64 * 1024)) as unknown;
}

/** `GET|PUT /__admin/dpop` (`{ requireNonce, nonceRotation }`), `POST /__admin/dpop/rotate-nonce`. */
async function handleDpopAdmin(ctx: ServerContext, path: string, method: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const dpop = ctx.dpop;
  const state = (): Record<string, unknown> => ({ requireNonce: dpop.requireNonce, nonceRotation: dpop.nonceRotation, nonce: dpop.nonce });
  if (path === PATHS.adminDpopRotateNonce && method === 'POST') {
    sendJson(res, 200, { nonce: dpop.rotateNonce() });
    return true;
  }
  if (path !== PATHS.adminDpop) return false;
  if (method === 'GET') {
    sendJson(res, 200, state());
    return true;
  }
  if (method !== 'PUT') return false;
  const body = (await readJson(req)) as { requireNonce?: unknown; nonceRotation?: unknown } | null;
  if (body?.requireNonce !== undefined && typeof body.requireNonce !== 'boolean') throw new TypeError('requireNonce must be a boolean');
  if (body?.nonceRotation !== undefined) dpop.nonceRotation = body.nonceRotation as number;
  if (typeof body?.requireNonce === 'boolean') dpop.requireNonce = body.requireNonce;
  sendJson(res, 200, state());
  return true;
}

/**
 * Routes: `GET|DELETE /__admin/stats`, `GET|POST|DELETE /__admin/faults` (`?target=` narrows a
 * DELETE), `DELETE /__admin/faults/{id}`, `GET|PUT /__admin/token-ttl` (`{ "seconds": n }`),
 * `GET /__admin/user-tokens?count=&from=&prefix=&ttl=` (users' tokens to exchange), `GET|DELETE /__admin/exchanges`,
 * and the DPoP nonce switches of `handleDpopAdmin`.
 * Unauthenticated on purpose: the server listens on loopback only and exists for tests.
 */
export async function handleAdmin(
  ctx: ServerContext,
  setTokenTtl: (seconds: number) => void,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { path, query } = splitUrl(req.url);
  const method = req.method ?? 'GET';
  try {
    if (path.startsWith(PATHS.adminDpop) && (await handleDpopAdmin(ctx, path, method, req, res))) return;
    if (path === PATHS.adminStats) {
      if (method === 'GET') return sendJson(res, 200, ctx.stats.snapshot());
      if (method === 'DELETE') {
        ctx.stats.reset();
        return noContent(res);
      }
    } else if (path === PATHS.adminFaults) {
      if (method === 'GET') return sendJson(res, 200, ctx.faults.list());
      if (method === 'POST') {
        const body = await readJson(req);
        const faults = (Array.isArray(body) ? body : [body]) as Fault[];
        // Validate all before queueing any, so a bad entry in a list leaves the queue as it was.
        faults.forEach(validateFault);
        const ids = faults.map((fault) => ctx.faults.inject(fault));
        return sendJson(res, 201, { ids });
      }
      if (method === 'DELETE') {
        const target = new URLSearchParams(query).get('target');
        ctx.faults.clear((target ?? undefined) as FaultTarget | undefined);
        return noContent(res);
      }
    } else if (path === PATHS.adminUserTokens && method === 'GET') {
      const params = new URLSearchParams(query);
      const tokens = await signUserTokens(ctx, {
        count: Number(params.get('count') ?? 1),
        from: Number(params.get('from') ?? 0),
        prefix: params.get('prefix') ?? 'user',
        ttlSec: Number(params.get('ttl') ?? 600),
      });
      return sendJson(res, 200, { tokens });
    } else if (path === PATHS.adminExchanges && (method === 'GET' || method === 'DELETE')) {
      if (method === 'GET') return sendJson(res, 200, ctx.exchange.counts());
      ctx.exchange.reset();
      return noContent(res);
    } else if (path.startsWith(`${PATHS.adminFaults}/`) && method === 'DELETE') {
      const id = Number(path.slice(PATHS.adminFaults.length + 1));
      return ctx.faults.remove(id) ? noContent(res) : sendJson(res, 404, { error: 'not_found' });
    } else if (path === PATHS.adminTokenTtl) {
      if (method === 'GET') return sendJson(res, 200, { seconds: ctx.tokenTtl });
      if (method === 'PUT') {
        const body = (await readJson(req)) as { seconds?: unknown };
        setTokenTtl(body?.seconds as number);
        return noContent(res);
      }
    } else if (path !== PATHS.adminDpop && path !== PATHS.adminDpopRotateNonce) {
      return sendJson(res, 404, { error: 'not_found' });
    }
    const allow: Record<string, string> = {
      [PATHS.adminFaults]: 'GET, POST, DELETE',
      [PATHS.adminStats]: 'GET, DELETE',
      [PATHS.adminDpopRotateNonce]: 'POST',
    };
    res.setHeader('allow', allow[path] ?? 'GET, PUT');
    sendJson(res, 405, { error: 'method_not_allowed' });
  } catch (error) {
    badRequest(res, error instanceof Error ? error.message : 'invalid admin request');
  }
}
