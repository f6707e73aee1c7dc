/** Reads the credentials Cloud Foundry hands an app in VCAP_SERVICES / VCAP_APPLICATION, as the seed did. */
import { McaError, McaErrorCodes } from '../errors/index.js';

/** The fields we take from the first MCA or App ID service entry; nothing else is copied. */
export interface VcapCredentials {
  clientId?: string;
  secret?: string;
  serverUrl?: string;
  tenantId?: string;
  /** App ID's form: its token endpoint is `{oauthServerUrl}/token`. */
  oauthServerUrl?: string;
  /** The service key the credentials came from, for messages. */
  serviceName?: string;
  applicationId?: string;
}

const SERVICE_PREFIXES = ['AdvancedMobileAccess', 'AppID'];
const CREDENTIAL_FIELDS = ['clientId', 'secret', 'serverUrl', 'tenantId', 'oauthServerUrl'] as const;

function parseJsonVariable(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // The variable holds secrets: name it, never quote it.
    // V8's message quotes the text around the fault, which may be the secret: keep at most the position.
    const position = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
    const where = position === undefined ? '' : ` (at position ${position})`;
    throw new McaError(McaErrorCodes.INVALID_VCAP, `${name} is set but is not valid JSON${where}; fix or unset it.`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ownString(record: Record<string, unknown>, field: string): string | undefined {
  if (!Object.hasOwn(record, field)) return undefined;
  const value = record[field];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Returns what VCAP_SERVICES and VCAP_APPLICATION say, or an empty object where they are unset.
 * Keys such as `__proto__` or `constructor` are never merged anywhere: only the named string fields are read.
 */
export function readVcap(env: Readonly<Record<string, string | undefined>>): VcapCredentials {
  const found: VcapCredentials = {};
  const services = env['VCAP_SERVICES'];
  if (services !== undefined && services.trim() !== '') {
    const parsed = parseJsonVariable('VCAP_SERVICES', services);
    if (!isRecord(parsed)) {
      throw new McaError(McaErrorCodes.INVALID_VCAP, 'VCAP_SERVICES must be a JSON object of service lists.');
    }
    const serviceName = Object.keys(parsed).find((key) => SERVICE_PREFIXES.some((prefix) => key.startsWith(prefix)));
    const entries = serviceName === undefined ? undefined : parsed[serviceName];
    const first = Array.isArray(entries) ? entries[0] : undefined;
    if (isRecord(first) && isRecord(first['credentials'])) {
      const credentials = first['credentials'];
      found.serviceName = serviceName;
      for (const field of CREDENTIAL_FIELDS) {
        const value = ownString(credentials, field);
        if (value !== undefined) found[field] = value;
      }
    }
  }
  const application = env['VCAP_APPLICATION'];
  if (application !== undefined && application.trim() !== '') {
    const parsed = parseJsonVariable('VCAP_APPLICATION', application);
    const applicationId = isRecord(parsed) ? ownString(parsed, 'application_id') : undefined;
    if (applicationId !== undefined) found.applicationId = applicationId;
  }
  return found;
}
