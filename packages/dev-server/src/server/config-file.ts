/** Reading the CLI's JSON config file into `DevServerOptions`. */
import { readFile } from 'node:fs/promises';
import { invalidArg } from '../lib/invalid-arg.js';
import type { DevServerOptions } from './start-dev-server.js';

const FIELDS = new Set(['port', 'clients', 'tokenTtl', 'defaultAudience', 'signingAlg', 'dpop', 'https', 'requireClientCertificate', 'exchangeSubjectAudiences']);

/**
 * Reads a JSON file with the fields of `DevServerOptions`, e.g.
 * `{ "tokenTtl": 60, "clients": [{ "id": "app", "secret": "s", "scopes": ["read"] }] }`.
 * Unknown fields are refused, so a typo does not silently leave the default in place. Field
 * values are checked by `startDevServer`.
 */
export async function readConfigFile(path: string): Promise<DevServerOptions> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    const error = invalidArg(`config file ${path} is not readable JSON`);
    (error as Error).cause = cause;
    throw error;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidArg(`config file ${path} must hold a JSON object`);
  }
  const unknown = Object.keys(parsed).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) throw invalidArg(`config file ${path} has unknown fields: ${unknown.join(', ')}`);
  return parsed as DevServerOptions;
}
