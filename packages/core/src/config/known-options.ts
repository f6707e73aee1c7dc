/**
 * The option names core knows, per level, in one table: a typo (`tokenEndPoint`, `timeoutMS`) fails at creation
 * with MCA_UNKNOWN_OPTION instead of silently falling back to the environment. A new feature adds its names here.
 */
import { McaError, McaErrorCodes } from '../errors/index.js';
import { invalidOption } from './validate.js';
import { nearestName } from './nearest-name.js';

/** Known names per level. `token` names are valid at the top level, in every route and in the seed API. */
export const KNOWN_OPTION_NAMES = {
  token: [
    'protocol', 'appId', 'clientId', 'secret', 'serverUrl', 'tokenEndpoint', 'issuer', 'scope', 'audience', 'resource',
    'extraParams', 'clientAuth', 'privateKey', 'privateKeyAlg', 'privateKeyId', 'timeoutMs', 'defaultLifetimeSec',
    'allowInsecureHttp',
    'proxy', // issue #14 §1
    'tls', // issue #14 §2
    'dpop', // issue #15
  ],
  top: [
    'match', 'name', 'routes', 'overwriteAuthorization', 'cacheSize', 'cache', 'refreshAhead', 'clockSkewMs', 'backoff',
    'logger', 'env', 'store',
  ],
  route: ['match', 'name', 'exchange' /* issue #16 */],
  seed: ['cacheSize', 'env'],
  refreshAhead: ['lifetimeShare', 'windowMs'],
  backoff: ['initialDelayMs', 'maxDelayMs'],
  tls: ['ca', 'cert', 'key', 'passphrase', 'pfx', 'servername'],
  dpop: ['privateKey', 'alg'],
  exchange: ['subjectTokenType', 'requestedTokenType'],
} as const satisfies Record<string, readonly string[]>;

type Level = keyof typeof KNOWN_OPTION_NAMES;

/**
 * Options whose value, when it is an object, has names of its own. `objectOnly`: any other value (but
 * `undefined`) is refused here; otherwise (`dpop: true`) the option's own check judges it.
 */
const NESTED_LEVELS: Readonly<Record<string, { level: Level; objectOnly: boolean }>> = {
  refreshAhead: { level: 'refreshAhead', objectOnly: true },
  backoff: { level: 'backoff', objectOnly: true },
  tls: { level: 'tls', objectOnly: true },
  dpop: { level: 'dpop', objectOnly: false },
  exchange: { level: 'exchange', objectOnly: true },
};

const namesOf = (...levels: Level[]): readonly string[] => levels.flatMap((level) => KNOWN_OPTION_NAMES[level]);
const TOP_NAMES = namesOf('top', 'token');
const ROUTE_NAMES = namesOf('route', 'token');
const SEED_NAMES = namesOf('seed', 'token');

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A name as it may appear in a message: short, and with no control character that could forge a log line. */
function printable(name: string): string {
  const shown = name.length > 64 ? `${name.slice(0, 64)}…` : name;
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(shown) ? JSON.stringify(shown) : shown;
}

/**
 * Throws McaError `MCA_UNKNOWN_OPTION` for the first own name of `options` that is not in `known`, naming it,
 * where it is (`routes[1].tokenEndPoint`), and the nearest known name. Never quotes a value.
 *
 * Public so that an adapter with option objects of its own checks them the same way.
 *
 * @param where the path of `options` itself (`''` for the top level, `routes[1]`, `mca`).
 */
export function checkOptionNames(options: object, known: readonly string[], where = ''): void {
  if (typeof options !== 'object' || options === null) throw invalidOption(where || 'options', 'must be an object');
  if (!Array.isArray(known) || known.some((name) => typeof name !== 'string')) {
    throw invalidOption('known', 'must be an array of option names');
  }
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const path = where === '' ? printable(name) : `${where}.${printable(name)}`;
    const suggestion = nearestName(name, known);
    const hint =
      suggestion === undefined
        ? `the options known here are ${known.map((option) => `'${option}'`).join(', ')}`
        : `did you mean '${suggestion}'?`;
    throw new McaError(McaErrorCodes.UNKNOWN_OPTION, `Unknown option '${path}': ${hint}`, { option: path });
  }
}

function checkNested(options: Record<string, unknown>, where: string): void {
  for (const [name, { level, objectOnly }] of Object.entries(NESTED_LEVELS)) {
    const value = options[name];
    const path = where === '' ? name : `${where}.${name}`;
    if (isPlainObject(value)) checkOptionNames(value, KNOWN_OPTION_NAMES[level], path);
    else if (objectOnly && value !== undefined) throw invalidOption(path, 'must be an object');
  }
}

/**
 * Checks every name in the options of `createStamper`: the top level, each route, and each nested option object.
 * `extraNames` are top-level names the caller (an adapter) takes for itself.
 */
export function checkMcaOptionNames(options: object, extraNames: readonly string[] = []): void {
  checkOptionNames(options, extraNames.length === 0 ? TOP_NAMES : [...TOP_NAMES, ...extraNames]);
  const record = options as Record<string, unknown>;
  checkNested(record, '');
  const routes = record['routes'];
  if (!Array.isArray(routes)) return;
  routes.forEach((route: unknown, index) => {
    if (!isPlainObject(route)) return; // refused with its type when the route is compiled
    checkOptionNames(route, ROUTE_NAMES, `routes[${index}]`);
    checkNested(route, `routes[${index}]`);
  });
}

/** Checks the names in the seed API's options. */
export function checkSeedOptionNames(options: object): void {
  checkOptionNames(options, SEED_NAMES);
  checkNested(options as Record<string, unknown>, '');
}
