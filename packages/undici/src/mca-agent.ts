/**
 * McaAgent: an undici Agent that stamps in its own `dispatch`, the fast path. `compose()` puts a Proxy and
 * a closure per interceptor in front of every request (about 9% of a plain Agent's throughput in our
 * benchmark); stamping inside an Agent subclass measured as free. undici is the app's own copy (a peer
 * dependency), so this is the one file that loads it at run time.
 */
import { KNOWN_OPTION_NAMES, createStamper, McaError, McaErrorCodes, optionErrorUnder, type McaOptions, type Stamper } from '@mca-oauth/core';
import * as undici from 'undici';
import { Agent, type Dispatcher } from 'undici';
import { kMcaInterceptor } from './composition-guards.js';
import type { Dispatch } from './dispatch-types.js';
import { dispatchWithToken } from './dispatch-with-token.js';
import { agentOptionsWith, withClientCertificate, type ClientCertificate } from './client-certificate.js';

/**
 * undici 7's Agent takes legacy handlers as they are; undici 8 dropped them (nodejs/undici#4786) and
 * added Dispatcher1Wrapper, which converts them before they reach an Agent.
 */
const ACCEPTS_LEGACY_HANDLERS = !('Dispatcher1Wrapper' in undici);

export interface McaAgentOptions extends Agent.Options {
  /** Which requests get a token, and how tokens are fetched. Default: from the environment. */
  mca?: McaOptions;
  /**
   * A TLS client certificate (RFC 8705), in one place for both uses: it authenticates the token requests when
   * `mca.tls` names no certificate (with `clientAuth: 'tls_client_auth'` or `'self_signed_tls_client_auth'`),
   * and it is presented on every connection this agent opens, so that APIs accept certificate-bound tokens.
   * The key stays out of `util.inspect(agent)`. Not with a `connect` function. Default: none.
   */
  clientCertificate?: ClientCertificate;
}

/** Names of mca-oauth's own options, or of `mca` mistyped: undici would silently ignore them beside `mca`. */
function refuseMisplacedOptions(agentOptions: object): void {
  const mcaNames = new Set<string>([...KNOWN_OPTION_NAMES.top, ...KNOWN_OPTION_NAMES.token]);
  for (const name of Object.keys(agentOptions)) {
    if (mcaNames.has(name)) {
      throw new McaError(McaErrorCodes.UNKNOWN_OPTION, `Unknown McaAgent option '${name}': it is an mca-oauth option; pass it inside 'mca' (did you mean 'mca.${name}'?).`);
    }
  }
  // Other names are undici's, which differ between its versions: only those that look like `mca` are judged.
  const mistyped = Object.keys(agentOptions).find((name) => /^mca/i.test(name));
  if (mistyped !== undefined) throw new McaError(McaErrorCodes.UNKNOWN_OPTION, `Unknown McaAgent option '${mistyped}': did you mean 'mca'?`);
}

export class McaAgent extends Agent {
  readonly #stamper: Stamper;
  readonly #dispatchUnstamped: Dispatch = (opts, handler) => super.dispatch(opts as never, handler as never);

  /**
   * Validates `mca` first (an McaError if not), then builds the Agent from the other options. An mca-oauth option
   * given beside `mca` instead of inside it is refused (`MCA_UNKNOWN_OPTION`), and undici's refusal of an Agent
   * option comes as an McaError `MCA_INVALID_OPTION` whose `cause` is undici's error.
   */
  constructor(options: McaAgentOptions = {}) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new McaError(McaErrorCodes.INVALID_OPTION, "McaAgent takes undici's Agent options with mca-oauth's options under `mca`: new McaAgent({ mca: { match, ... } }).");
    }
    const { mca, clientCertificate, ...agentOptions } = options;
    refuseMisplacedOptions(agentOptions);
    const presented = clientCertificate === undefined ? undefined : agentOptionsWith(agentOptions, clientCertificate, undici.buildConnector);
    let stamper: Stamper;
    try {
      stamper = createStamper(presented === undefined ? mca : withClientCertificate(mca, presented.certificate));
    } catch (error) {
      // Named as the caller wrote it: `mca.routes[1].scope`, not `routes[1].scope`.
      throw optionErrorUnder(error, 'mca.');
    }
    try {
      super(presented?.options ?? agentOptions);
    } catch (error) {
      throw new McaError(McaErrorCodes.INVALID_OPTION, `McaAgent: undici refused the Agent options: ${(error as Error)?.message ?? error}`, { cause: error });
    }
    this.#stamper = stamper;
  }

  override dispatch(opts: Agent.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return dispatchWithToken(this.#stamper, this.#dispatchUnstamped, opts as never, handler as never, ACCEPTS_LEGACY_HANDLERS);
  }

  override compose(dispatchers: Dispatcher.DispatcherComposeInterceptor[]): Dispatcher.ComposedDispatcher;
  override compose(...dispatchers: Dispatcher.DispatcherComposeInterceptor[]): Dispatcher.ComposedDispatcher;
  override compose(...args: unknown[]): Dispatcher.ComposedDispatcher {
    const interceptors = (Array.isArray(args[0]) ? args[0] : args) as unknown[];
    if (interceptors.some((interceptor) => typeof interceptor === 'function' && kMcaInterceptor in interceptor)) {
      throw new McaError(
        McaErrorCodes.INVALID_OPTION,
        'McaAgent already stamps tokens: compose() it with other interceptors only, not mcaInterceptor() (it would run twice).',
      );
    }
    return super.compose(...(interceptors as Dispatcher.DispatcherComposeInterceptor[]));
  }
}
