/** Checks on a token request's form: content type, repeats, grant type, scope, audience/resource. */
import type { IncomingHttpHeaders } from 'node:http';
import type { RegisteredClient } from './clients.js';
import { OAuthErrorResponse } from './oauth-error.js';

/** RFC 8707 §2 and RFC 8693 §2.1 let these repeat; RFC 6749 §3.2 forbids repeating any other. */
const REPEATABLE = new Set(['resource', 'audience']);

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Checks the request is a non-empty form without repeated parameters (RFC 6749 §3.2), else
 * invalid_request. `form` is `body` already parsed (the counters needed it before any check).
 */
export function checkTokenForm(headers: IncomingHttpHeaders, body: string, form: URLSearchParams): void {
  const type = headers['content-type']?.split(';', 1)[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthErrorResponse(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  if (body === '') throw new OAuthErrorResponse(400, 'invalid_request', 'the form body is empty');
  const seen = new Set<string>();
  for (const name of form.keys()) {
    if (seen.has(name) && !REPEATABLE.has(name)) {
      throw new OAuthErrorResponse(400, 'invalid_request', `parameter ${name} is repeated`);
    }
    seen.add(name);
  }
}

/** client_credentials everywhere; token exchange (RFC 8693) on the plain OAuth endpoint only. */
export function checkGrantType(form: URLSearchParams, allowed: readonly string[] = ['client_credentials']): string {
  const grantType = form.get('grant_type');
  if (!grantType) throw new OAuthErrorResponse(400, 'invalid_request', 'grant_type is missing');
  if (!allowed.includes(grantType)) {
    throw new OAuthErrorResponse(400, 'unsupported_grant_type', `only ${allowed.join(' and ')} ${allowed.length === 1 ? 'is' : 'are'} supported`);
  }
  return grantType;
}

/** The scopes to grant: those requested, each allowed for the client (RFC 6749 §3.3). */
export function grantScopes(form: URLSearchParams, client: RegisteredClient): string[] {
  const raw = form.get('scope');
  if (raw === null) return [];
  const scopes = [...new Set(raw.split(' ').filter((s) => s !== ''))];
  for (const scope of scopes) {
    if (!SCOPE_TOKEN.test(scope)) throw new OAuthErrorResponse(400, 'invalid_scope', 'scope is malformed');
    if (client.scopes && !client.scopes.has(scope)) {
      throw new OAuthErrorResponse(400, 'invalid_scope', `scope ${scope} is not allowed for this client`);
    }
  }
  return scopes;
}

function isAbsoluteUriWithoutFragment(value: string): boolean {
  // RFC 8707 §2: a resource is an absolute URI and MUST NOT include a fragment.
  if (!URL.canParse(value)) return false;
  return !value.includes('#');
}

/**
 * The `aud` values: every `audience` then every `resource`, deduplicated, or `fallback` when
 * neither is sent (RFC 8707 §2; unknown or disallowed targets get `invalid_target`).
 */
export function grantAudience(form: URLSearchParams, client: RegisteredClient, fallback: string): string[] {
  const audiences = form.getAll('audience');
  const resources = form.getAll('resource');
  for (const resource of resources) {
    if (!isAbsoluteUriWithoutFragment(resource)) {
      throw new OAuthErrorResponse(400, 'invalid_target', 'resource must be an absolute URI without a fragment');
    }
  }
  const all = [...new Set([...audiences, ...resources])];
  for (const target of all) {
    if (target === '') throw new OAuthErrorResponse(400, 'invalid_target', 'audience must not be empty');
    if (client.audiences && !client.audiences.has(target)) {
      throw new OAuthErrorResponse(400, 'invalid_target', `audience ${target} is not allowed for this client`);
    }
  }
  return all.length === 0 ? [fallback] : all;
}
